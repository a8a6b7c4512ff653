package dev.cartan.cli.io;

/**
 * Element types of stored tensors, across formats.
 *
 * <p>A type stores {@link #blockSize()} elements in {@link #blockBytes()} bytes: 1 element for plain types,
 * 32 or 256 for the llama.cpp block-quantized types (whose layouts are documented on {@link Dequant}).
 * {@link #readable()} types can be widened to float32/float64; the others (integers, booleans, FP8) are listed
 * but reported as non-float when read.
 */
public enum DType {
  /** IEEE 754 binary64. */
  F64(1, 8, true),
  /** IEEE 754 binary32. */
  F32(1, 4, true),
  /** IEEE 754 binary16. */
  F16(1, 2, true),
  /** bfloat16: the top 16 bits of a binary32. */
  BF16(1, 2, true),
  /** Signed 64-bit integer (non-float). */
  I64(1, 8, false),
  /** Signed 32-bit integer (non-float). */
  I32(1, 4, false),
  /** Signed 16-bit integer (non-float). */
  I16(1, 2, false),
  /** Signed 8-bit integer (non-float). */
  I8(1, 1, false),
  /** Unsigned 64-bit integer (non-float). */
  U64(1, 8, false),
  /** Unsigned 32-bit integer (non-float). */
  U32(1, 4, false),
  /** Unsigned 16-bit integer (non-float). */
  U16(1, 2, false),
  /** Unsigned 8-bit integer (non-float). */
  U8(1, 1, false),
  /** Boolean, one byte (non-float). */
  BOOL(1, 1, false),
  /** 8-bit float E4M3 (listed, not widened). */
  F8_E4M3(1, 1, false),
  /** 8-bit float E5M2 (listed, not widened). */
  F8_E5M2(1, 1, false),
  /** Complex64 (ONNX; listed, not widened). */
  C64(1, 8, false),
  /** Complex128 (ONNX; listed, not widened). */
  C128(1, 16, false),
  /** ggml Q4_0: f16 scale d, 32 4-bit quants; x = d (q - 8). */
  Q4_0(32, 18, true),
  /** ggml Q4_1: f16 scale d and min m, 32 4-bit quants; x = d q + m. */
  Q4_1(32, 20, true),
  /** ggml Q5_0: f16 d, 32 high bits, 32 low nibbles; x = d (q - 16). */
  Q5_0(32, 22, true),
  /** ggml Q5_1: f16 d and m, 32 high bits, 32 low nibbles; x = d q + m. */
  Q5_1(32, 24, true),
  /** ggml Q8_0: f16 d, 32 int8 quants; x = d q. */
  Q8_0(32, 34, true),
  /** ggml Q8_1: f16 d and s (sum, unused here), 32 int8 quants; x = d q. */
  Q8_1(32, 36, true),
  /** ggml Q2_K super-block of 256. */
  Q2_K(256, 84, true),
  /** ggml Q3_K super-block of 256. */
  Q3_K(256, 110, true),
  /** ggml Q4_K super-block of 256. */
  Q4_K(256, 144, true),
  /** ggml Q5_K super-block of 256. */
  Q5_K(256, 176, true),
  /** ggml Q6_K super-block of 256. */
  Q6_K(256, 210, true),
  /** ggml Q8_K: f32 d, 256 int8 quants, 16 int16 block sums (unused here). */
  Q8_K(256, 292, true);

  private final int blockSize;
  private final int blockBytes;
  private final boolean readable;

  DType(int blockSize, int blockBytes, boolean readable) {
    this.blockSize = blockSize;
    this.blockBytes = blockBytes;
    this.readable = readable;
  }

  /** Elements per storage block (1 for plain types). */
  public int blockSize() {
    return blockSize;
  }

  /** Bytes per storage block. */
  public int blockBytes() {
    return blockBytes;
  }

  /** Whether values of this type can be widened to float32/float64 by the readers. */
  public boolean readable() {
    return readable;
  }

  /** Whether this is a llama.cpp block-quantized type. */
  public boolean quantized() {
    return blockSize > 1;
  }

  /**
   * Bytes needed for {@code numel} elements, or -1 when {@code numel} is not a whole number of blocks or the
   * product overflows a long.
   */
  public long byteSize(long numel) {
    if (numel < 0 || numel % blockSize != 0) {
      return -1;
    }
    long blocks = numel / blockSize;
    if (blocks > Long.MAX_VALUE / blockBytes) {
      return -1;
    }
    return blocks * blockBytes;
  }
}
