package dev.cartan.cli.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * Widening and dequantization of stored elements to float32 (and float64 for F64).
 *
 * <p>Plain types are converted element by element in the buffer's byte order. The block-quantized types follow
 * llama.cpp's {@code ggml-common.h} block structs and {@code dequantize_row_*} in {@code ggml-quants.c}; every
 * block is little-endian, {@code half} is binary16:
 *
 * <ul>
 *   <li>Q4_0 {half d; u8 qs[16]}: x[j] = d ((qs[j] &amp; 15) - 8), x[j+16] = d ((qs[j] &gt;&gt; 4) - 8).
 *   <li>Q4_1 {half d, m; u8 qs[16]}: x[j] = d (qs[j] &amp; 15) + m, x[j+16] = d (qs[j] &gt;&gt; 4) + m.
 *   <li>Q5_0 {half d; u8 qh[4]; u8 qs[16]}: h = qh as u32 LE; x[j] = d (((qs[j] &amp; 15) | bit j of h &lt;&lt; 4) -
 *       16), x[j+16] = d (((qs[j] &gt;&gt; 4) | bit (j+16) of h &lt;&lt; 4) - 16).
 *   <li>Q5_1 {half d, m; u8 qh[4]; u8 qs[16]}: as Q5_0 without the -16, plus m.
 *   <li>Q8_0 {half d; i8 qs[32]}: x = d q. Q8_1 {half d, s; i8 qs[32]}: x = d q.
 *   <li>Q2_K {u8 scales[16]; u8 qs[64]; half d, dmin}: element 128n + 32k + l (n &lt; 2, k &lt; 4, l &lt; 32) has
 *       quant (qs[32n + l] &gt;&gt; 2k) &amp; 3 and sub-block is = 8n + 2k + l/16; x = d (scales[is] &amp; 15) q - dmin
 *       (scales[is] &gt;&gt; 4).
 *   <li>Q3_K {u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d}: 16 6-bit scales s (4 low bits in bytes 0..7, 2 high
 *       bits in bytes 8..11); element 128n + 32k + l: q = ((qs[32n + l] &gt;&gt; 2k) &amp; 3) - (bit (4n + k) of
 *       hmask[l] ? 0 : 4), x = d (s[8n + 2k + l/16] - 32) q.
 *   <li>Q4_K {half d, dmin; u8 scales[12]; u8 qs[128]}: 8 6-bit (scale, min) pairs; element 64p + l (l &lt; 32) has
 *       q = qs[32p + l] &amp; 15, element 64p + 32 + l has q = qs[32p + l] &gt;&gt; 4, with pairs 2p and 2p + 1; x = d sc q
 *       - dmin mn.
 *   <li>Q5_K {half d, dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}: as Q4_K with a fifth bit from qh[l] bit 2p
 *       (first half) or 2p + 1 (second half).
 *   <li>Q6_K {u8 ql[128]; u8 qh[64]; i8 scales[16]; half d}: 6-bit quants minus 32, x = d scales[is] q.
 *   <li>Q8_K {f32 d; i8 qs[256]; i16 bsums[16]}: x = d q.
 * </ul>
 */
final class Dequant {
  private Dequant() {}

  /** Halves widened per bulk copy: 8192 keeps the scratch array in L1/L2. */
  private static final int CHUNK = 8192;

  /** Every binary16 value widened by {@link Half#f16ToFloat} (256 KiB, built once). */
  private static final float[] F16_TABLE = new float[65536];

  static {
    for (int h = 0; h < 65536; h++) {
      F16_TABLE[h] = Half.f16ToFloat(h);
    }
  }

  /**
   * Decodes every whole block in {@code src} (position to limit) into {@code dst} from {@code dstOff}.
   *
   * @return the number of elements written
   */
  static int toFloat(DType t, ByteBuffer src, float[] dst, int dstOff) {
    int n = src.remaining() / t.blockBytes();
    int p = src.position();
    int o = dstOff;
    switch (t) {
      case F32 -> {
        src.asFloatBuffer().get(dst, o, n);
        o += n;
      }
      case F64 -> {
        for (int i = 0; i < n; i++) {
          dst[o++] = (float) src.getDouble(p + 8 * i);
        }
      }
      case F16, BF16 -> {
        // Bulk-copy the halves into a scratch array (one bounds check per chunk instead of per element), then
        // widen: F16 through a 65536-entry table of the exact conversion, BF16 by a shift.
        ShortBuffer sb = src.asShortBuffer();
        short[] scratch = new short[Math.min(n, CHUNK)];
        for (int done = 0; done < n; ) {
          int c = Math.min(scratch.length, n - done);
          sb.get(scratch, 0, c);
          if (t == DType.F16) {
            for (int i = 0; i < c; i++) {
              dst[o + i] = F16_TABLE[scratch[i] & 0xffff];
            }
          } else {
            for (int i = 0; i < c; i++) {
              dst[o + i] = Float.intBitsToFloat(scratch[i] << 16);
            }
          }
          o += c;
          done += c;
        }
      }
      default -> {
        if (!t.quantized()) {
          throw new IllegalStateException("not a readable type: " + t);
        }
        ByteBuffer le = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < n; b++) {
          block(t, le, p + b * t.blockBytes(), dst, o);
          o += t.blockSize();
        }
      }
    }
    src.position(p + n * t.blockBytes());
    return o - dstOff;
  }

  /** Decodes every whole F64 element of {@code src} into {@code dst}; returns the count. */
  static int f64ToDouble(ByteBuffer src, double[] dst, int dstOff) {
    int n = src.remaining() / 8;
    src.asDoubleBuffer().get(dst, dstOff, n);
    src.position(src.position() + 8 * n);
    return n;
  }

  private static float half(ByteBuffer b, int at) {
    return Half.f16ToFloat(b.getShort(at));
  }

  private static int u8(ByteBuffer b, int at) {
    return b.get(at) & 0xff;
  }

  private static void block(DType t, ByteBuffer b, int p, float[] y, int o) {
    switch (t) {
      case Q4_0 -> {
        float d = half(b, p);
        for (int j = 0; j < 16; j++) {
          int q = u8(b, p + 2 + j);
          y[o + j] = d * ((q & 15) - 8);
          y[o + j + 16] = d * ((q >>> 4) - 8);
        }
      }
      case Q4_1 -> {
        float d = half(b, p);
        float m = half(b, p + 2);
        for (int j = 0; j < 16; j++) {
          int q = u8(b, p + 4 + j);
          y[o + j] = d * (q & 15) + m;
          y[o + j + 16] = d * (q >>> 4) + m;
        }
      }
      case Q5_0 -> {
        float d = half(b, p);
        int qh = b.getInt(p + 2);
        for (int j = 0; j < 16; j++) {
          int q = u8(b, p + 6 + j);
          int h0 = ((qh >>> j) & 1) << 4;
          int h1 = ((qh >>> (j + 16)) & 1) << 4;
          y[o + j] = d * (((q & 15) | h0) - 16);
          y[o + j + 16] = d * (((q >>> 4) | h1) - 16);
        }
      }
      case Q5_1 -> {
        float d = half(b, p);
        float m = half(b, p + 2);
        int qh = b.getInt(p + 4);
        for (int j = 0; j < 16; j++) {
          int q = u8(b, p + 8 + j);
          int h0 = ((qh >>> j) & 1) << 4;
          int h1 = ((qh >>> (j + 16)) & 1) << 4;
          y[o + j] = d * ((q & 15) | h0) + m;
          y[o + j + 16] = d * ((q >>> 4) | h1) + m;
        }
      }
      case Q8_0 -> {
        float d = half(b, p);
        for (int j = 0; j < 32; j++) {
          y[o + j] = d * b.get(p + 2 + j);
        }
      }
      case Q8_1 -> {
        float d = half(b, p);
        for (int j = 0; j < 32; j++) {
          y[o + j] = d * b.get(p + 4 + j);
        }
      }
      case Q2_K -> q2k(b, p, y, o);
      case Q3_K -> q3k(b, p, y, o);
      case Q4_K -> q45k(b, p, y, o, false);
      case Q5_K -> q45k(b, p, y, o, true);
      case Q6_K -> q6k(b, p, y, o);
      case Q8_K -> {
        float d = b.getFloat(p);
        for (int j = 0; j < 256; j++) {
          y[o + j] = d * b.get(p + 4 + j);
        }
      }
      default -> throw new IllegalStateException("not a block type: " + t);
    }
  }

  private static void q2k(ByteBuffer b, int p, float[] y, int o) {
    // Layout: scales[16] at 0, qs[64] at 16, d at 80, dmin at 82.
    float d = half(b, p + 80);
    float dmin = half(b, p + 82);
    for (int n = 0; n < 2; n++) {
      for (int k = 0; k < 4; k++) {
        for (int l = 0; l < 32; l++) {
          int sc = u8(b, p + 8 * n + 2 * k + l / 16);
          int q = (u8(b, p + 16 + 32 * n + l) >>> (2 * k)) & 3;
          y[o + 128 * n + 32 * k + l] = d * (sc & 15) * q - dmin * (sc >>> 4);
        }
      }
    }
  }

  /** The 16 six-bit scales of a Q3_K block: low nibbles in bytes 0..7, high pairs in bytes 8..11. */
  static int q3kScale(ByteBuffer b, int s, int is) {
    int low = is < 8 ? u8(b, s + is) & 15 : u8(b, s + is - 8) >>> 4;
    int high = (u8(b, s + 8 + (is & 3)) >>> (2 * (is >>> 2))) & 3;
    return low | (high << 4);
  }

  private static void q3k(ByteBuffer b, int p, float[] y, int o) {
    // Layout: hmask[32] at 0, qs[64] at 32, scales[12] at 96, d at 108.
    float d = half(b, p + 108);
    for (int n = 0; n < 2; n++) {
      for (int k = 0; k < 4; k++) {
        for (int l = 0; l < 32; l++) {
          int sc = q3kScale(b, p + 96, 8 * n + 2 * k + l / 16) - 32;
          int low = (u8(b, p + 32 + 32 * n + l) >>> (2 * k)) & 3;
          int high = (u8(b, p + l) >>> (4 * n + k)) & 1;
          y[o + 128 * n + 32 * k + l] = d * sc * (low - (high != 0 ? 0 : 4));
        }
      }
    }
  }

  /** Scale (which = 0) or min (which = 1) j of the 12-byte K-quant scale array at s (get_scale_min_k4). */
  static int scaleMinK4(ByteBuffer b, int s, int j, int which) {
    if (j < 4) {
      return u8(b, s + j + 4 * which) & 63;
    }
    int low = which == 0 ? u8(b, s + j + 4) & 15 : u8(b, s + j + 4) >>> 4;
    int high = u8(b, s + j - 4 + 4 * which) >>> 6;
    return low | (high << 4);
  }

  private static void q45k(ByteBuffer b, int p, float[] y, int o, boolean five) {
    // Q4_K: d 0, dmin 2, scales[12] at 4, qs[128] at 16. Q5_K: same, qh[32] at 16, qs[128] at 48.
    float d = half(b, p);
    float dmin = half(b, p + 2);
    int qs = p + (five ? 48 : 16);
    for (int pair = 0; pair < 4; pair++) {
      for (int half = 0; half < 2; half++) {
        int j = 2 * pair + half;
        float dl = d * scaleMinK4(b, p + 4, j, 0);
        float ml = dmin * scaleMinK4(b, p + 4, j, 1);
        for (int l = 0; l < 32; l++) {
          int byteq = u8(b, qs + 32 * pair + l);
          int q = half == 0 ? byteq & 15 : byteq >>> 4;
          if (five) {
            q |= ((u8(b, p + 16 + l) >>> j) & 1) << 4;
          }
          y[o + 64 * pair + 32 * half + l] = dl * q - ml;
        }
      }
    }
  }

  private static void q6k(ByteBuffer b, int p, float[] y, int o) {
    // Layout: ql[128] at 0, qh[64] at 128, scales[16] (int8) at 192, d at 208.
    float d = half(b, p + 208);
    for (int n = 0; n < 2; n++) {
      int ql = p + 64 * n;
      int qh = p + 128 + 32 * n;
      int sc = p + 192 + 8 * n;
      for (int l = 0; l < 32; l++) {
        int is = l / 16;
        int h = u8(b, qh + l);
        int q1 = ((u8(b, ql + l) & 15) | ((h & 3) << 4)) - 32;
        int q2 = ((u8(b, ql + l + 32) & 15) | (((h >>> 2) & 3) << 4)) - 32;
        int q3 = ((u8(b, ql + l) >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
        int q4 = ((u8(b, ql + l + 32) >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
        y[o + 128 * n + l] = d * b.get(sc + is) * q1;
        y[o + 128 * n + l + 32] = d * b.get(sc + is + 2) * q2;
        y[o + 128 * n + l + 64] = d * b.get(sc + is + 4) * q3;
        y[o + 128 * n + l + 96] = d * b.get(sc + is + 6) * q4;
      }
    }
  }
}
