package dev.cartan.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-built llama.cpp blocks: the test packs chosen quants and scales by the block layouts of ggml-common.h
 * (written here element-first: element e sits in sub-block e/16 or e/32 and at the bit position the layout gives),
 * and the expected values come from the format's formulas; a few blocks are checked against literals worked out
 * by hand.
 */
class DequantTest {
  private static final Random RND = new Random(6);

  // Half values used as scales: 0x3800 = 0.5, 0x3c00 = 1, 0x4000 = 2, 0xb400 = -0.25, 0x2e66 ~ 0.0999.
  private static final int[] HALVES = {0x3800, 0x3c00, 0x4000, 0xb400, 0x2e66};

  private static ByteBuffer block(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static float[] decode(DType t, ByteBuffer b) {
    float[] y = new float[t.blockSize()];
    b.position(0);
    assertEquals(t.blockSize(), Dequant.toFloat(t, b, y, 0));
    return y;
  }

  private static float h(int bits) {
    return Half.f16ToFloat(bits);
  }

  @Test
  void q8_0Literal() {
    ByteBuffer b = block(34).putShort((short) 0x3800); // d = 0.5
    for (int j = 0; j < 32; j++) {
      b.put((byte) (j - 16));
    }
    float[] y = decode(DType.Q8_0, b);
    assertEquals(-8.0f, y[0]);
    assertEquals(7.5f, y[31]);
    assertEquals(0.0f, y[16]);
  }

  @Test
  void q4_0Literal() {
    ByteBuffer b = block(18).putShort((short) 0x4000); // d = 2
    b.put((byte) 0x3a); // element 0: low nibble 10 -> 2 (10 - 8) = 4; element 16: high nibble 3 -> 2 (3 - 8) = -10
    float[] y = decode(DType.Q4_0, b);
    assertEquals(4.0f, y[0]);
    assertEquals(-10.0f, y[16]);
    assertEquals(-16.0f, y[1]); // zero byte: 2 (0 - 8)
  }

  @Test
  void q4_0AndQ4_1() {
    for (int d : HALVES) {
      int[] q = new int[32];
      ByteBuffer b0 = block(18).putShort((short) d);
      ByteBuffer b1 = block(20).putShort((short) d).putShort((short) 0xbc00); // m = -1
      for (int j = 0; j < 32; j++) {
        q[j] = RND.nextInt(16);
      }
      for (int j = 0; j < 16; j++) {
        b0.put(2 + j, (byte) (q[j] | q[j + 16] << 4));
        b1.put(4 + j, (byte) (q[j] | q[j + 16] << 4));
      }
      float[] y0 = decode(DType.Q4_0, b0);
      float[] y1 = decode(DType.Q4_1, b1);
      for (int e = 0; e < 32; e++) {
        assertEquals(h(d) * (q[e] - 8), y0[e]);
        assertEquals(h(d) * q[e] - 1.0f, y1[e]);
      }
    }
  }

  @Test
  void q5_0AndQ5_1() {
    for (int d : HALVES) {
      int[] q = new int[32];
      int qh = 0;
      for (int e = 0; e < 32; e++) {
        q[e] = RND.nextInt(32);
        qh |= (q[e] >> 4) << e; // fifth bit of element e is bit e of qh
      }
      ByteBuffer b0 = block(22).putShort((short) d).putInt(qh);
      ByteBuffer b1 = block(24).putShort((short) d).putShort((short) 0x3800).putInt(qh); // m = 0.5
      for (int j = 0; j < 16; j++) {
        byte v = (byte) ((q[j] & 15) | (q[j + 16] & 15) << 4);
        b0.put(6 + j, v);
        b1.put(8 + j, v);
      }
      float[] y0 = decode(DType.Q5_0, b0);
      float[] y1 = decode(DType.Q5_1, b1);
      for (int e = 0; e < 32; e++) {
        assertEquals(h(d) * (q[e] - 16), y0[e], "Q5_0 element " + e);
        assertEquals(h(d) * q[e] + 0.5f, y1[e], "Q5_1 element " + e);
      }
    }
  }

  @Test
  void q8_1AndQ8_K() {
    ByteBuffer b = block(36).putShort((short) 0x4000).putShort((short) 0x7bff); // d = 2, s ignored
    ByteBuffer k = block(292).putFloat(0.125f);
    int[] q = new int[256];
    for (int e = 0; e < 256; e++) {
      q[e] = RND.nextInt(256) - 128;
      k.put(4 + e, (byte) q[e]);
      if (e < 32) {
        b.put(4 + e, (byte) q[e]);
      }
    }
    float[] y = decode(DType.Q8_1, b);
    float[] z = decode(DType.Q8_K, k);
    for (int e = 0; e < 256; e++) {
      if (e < 32) {
        assertEquals(2.0f * q[e], y[e]);
      }
      assertEquals(0.125f * q[e], z[e]);
    }
  }

  @Test
  void q2_K() {
    int[] sc = new int[16];
    int[] mn = new int[16];
    int[] q = new int[256];
    ByteBuffer b = block(84);
    for (int s = 0; s < 16; s++) {
      sc[s] = RND.nextInt(16);
      mn[s] = RND.nextInt(16);
      b.put(s, (byte) (sc[s] | mn[s] << 4));
    }
    for (int e = 0; e < 256; e++) {
      q[e] = RND.nextInt(4);
      int at = 16 + 32 * (e / 128) + e % 32;
      b.put(at, (byte) (b.get(at) | q[e] << (2 * ((e % 128) / 32))));
    }
    b.putShort(80, (short) 0x3800).putShort(82, (short) 0x2e66);
    float[] y = decode(DType.Q2_K, b);
    for (int e = 0; e < 256; e++) {
      int s = e / 16;
      assertEquals(0.5f * sc[s] * q[e] - h(0x2e66) * mn[s], y[e], 1e-6f, "element " + e);
    }
  }

  @Test
  void q2_KLiteral() {
    ByteBuffer b = block(84);
    b.put(0, (byte) 0x23); // sub-block 0: scale 3, min 2
    b.put(16, (byte) 0b11_10_01_10); // byte 0 of qs: elements 0 (q=2), 32 (1), 64 (2), 96 (3)
    b.putShort(80, (short) 0x3c00).putShort(82, (short) 0x3800); // d = 1, dmin = 0.5
    float[] y = decode(DType.Q2_K, b);
    assertEquals(1 * 3 * 2 - 0.5f * 2, y[0]); // 5
    assertEquals(-1.0f, y[1]); // q = 0 -> -dmin * min
  }

  @Test
  void q3_K() {
    int[] s = new int[16];
    int[] q = new int[256];
    ByteBuffer b = block(110);
    for (int i = 0; i < 16; i++) {
      s[i] = RND.nextInt(64);
      int low = s[i] & 15;
      if (i < 8) {
        b.put(96 + i, (byte) (b.get(96 + i) | low));
      } else {
        b.put(96 + i - 8, (byte) (b.get(96 + i - 8) | low << 4));
      }
      int at = 96 + 8 + i % 4;
      b.put(at, (byte) (b.get(at) | (s[i] >> 4) << (2 * (i / 4))));
    }
    for (int e = 0; e < 256; e++) {
      q[e] = RND.nextInt(8) - 4; // -4..3: high bit set means "no -4"
      int low = q[e] & 3;
      int at = 32 + 32 * (e / 128) + e % 32;
      b.put(at, (byte) (b.get(at) | low << (2 * ((e % 128) / 32))));
      if (q[e] >= 0) {
        b.put(e % 32, (byte) (b.get(e % 32) | 1 << (e / 32)));
      }
    }
    b.putShort(108, (short) 0x3800);
    float[] y = decode(DType.Q3_K, b);
    for (int e = 0; e < 256; e++) {
      assertEquals(0.5f * (s[e / 16] - 32) * q[e], y[e], "element " + e);
    }
  }

  /** Packs 8 six-bit scales and mins into the 12-byte K-quant array at {@code at}. */
  private static void packScaleMin(ByteBuffer b, int at, int[] sc, int[] mn) {
    for (int j = 0; j < 4; j++) {
      b.put(at + j, (byte) ((sc[j] & 63) | (sc[j + 4] >> 4) << 6));
      b.put(at + j + 4, (byte) ((mn[j] & 63) | (mn[j + 4] >> 4) << 6));
      b.put(at + j + 8, (byte) ((sc[j + 4] & 15) | (mn[j + 4] & 15) << 4));
    }
  }

  @Test
  void q4_KAndQ5_K() {
    int[] sc = new int[8];
    int[] mn = new int[8];
    for (int j = 0; j < 8; j++) {
      sc[j] = RND.nextInt(64);
      mn[j] = RND.nextInt(64);
    }
    int[] q = new int[256];
    ByteBuffer b4 = block(144).putShort((short) 0x3800).putShort((short) 0x2e66);
    ByteBuffer b5 = block(176).putShort((short) 0x3800).putShort((short) 0x2e66);
    packScaleMin(b4, 4, sc, mn);
    packScaleMin(b5, 4, sc, mn);
    for (int e = 0; e < 256; e++) {
      q[e] = RND.nextInt(32);
      int shift = 4 * ((e % 64) / 32);
      int at = 32 * (e / 64) + e % 32;
      b4.put(16 + at, (byte) (b4.get(16 + at) | (q[e] & 15) << shift));
      b5.put(48 + at, (byte) (b5.get(48 + at) | (q[e] & 15) << shift));
      b5.put(16 + e % 32, (byte) (b5.get(16 + e % 32) | (q[e] >> 4) << (e / 32)));
    }
    float[] y4 = decode(DType.Q4_K, b4);
    float[] y5 = decode(DType.Q5_K, b5);
    for (int e = 0; e < 256; e++) {
      int j = e / 32;
      float dl = 0.5f * sc[j];
      float ml = h(0x2e66) * mn[j];
      assertEquals(dl * (q[e] & 15) - ml, y4[e], "Q4_K element " + e);
      assertEquals(dl * q[e] - ml, y5[e], "Q5_K element " + e);
    }
  }

  @Test
  void q6_K() {
    int[] sc = new int[16];
    int[] q = new int[256];
    ByteBuffer b = block(210);
    for (int i = 0; i < 16; i++) {
      sc[i] = RND.nextInt(256) - 128;
      b.put(192 + i, (byte) sc[i]);
    }
    for (int e = 0; e < 256; e++) {
      q[e] = RND.nextInt(64) - 32;
      int u = q[e] + 32;
      int n = e / 128;
      int c = (e % 128) / 32;
      int l = e % 32;
      int ql = 64 * n + l + (c % 2 == 1 ? 32 : 0);
      int nib = c >= 2 ? 4 : 0;
      b.put(ql, (byte) (b.get(ql) | (u & 15) << nib));
      int qh = 128 + 32 * n + l;
      b.put(qh, (byte) (b.get(qh) | (u >> 4) << (2 * c)));
    }
    b.putShort(208, (short) 0xb400); // d = -0.25
    float[] y = decode(DType.Q6_K, b);
    for (int e = 0; e < 256; e++) {
      assertEquals(-0.25f * sc[e / 16] * q[e], y[e], "element " + e);
    }
  }

  @Test
  void partialBuffersDecodeWholeBlocksOnly() {
    ByteBuffer b = block(34 * 2 + 5).putShort((short) 0x3c00);
    float[] y = new float[64];
    b.position(0);
    assertEquals(64, Dequant.toFloat(DType.Q8_0, b, y, 0));
    assertEquals(68, b.position());
    assertArrayEquals(new float[32], java.util.Arrays.copyOfRange(y, 32, 64));
  }
}
