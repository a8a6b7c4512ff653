package dev.cartan.cli.io;

/**
 * Conversions of 16-bit floats to binary32 (Java 17 has no {@code Float.float16ToFloat}).
 *
 * <p>binary16: sign bit, 5-bit exponent (bias 15), 10-bit fraction; value (-1)^s 2^(e-15) (1 + f/1024) for
 * 0 &lt; e &lt; 31, (-1)^s 2^-14 (f/1024) for e = 0 (subnormal), infinity / NaN for e = 31. Every binary16 value is
 * exactly representable in binary32, so the conversion is exact. bfloat16 is the top half of a binary32.
 */
public final class Half {
  private Half() {}

  /** Exact binary16 to binary32; NaN payloads are kept in the high fraction bits. */
  public static float f16ToFloat(int h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int frac = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (frac << 13));
    }
    if (exp == 0) {
      // Subnormal or zero: frac * 2^-24 is exact in binary32.
      float v = frac * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (frac << 13));
  }

  /** Exact bfloat16 to binary32. */
  public static float bf16ToFloat(int h) {
    return Float.intBitsToFloat((h & 0xffff) << 16);
  }
}
