package dev.cartan.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfTest {

  /** binary16 by its definition, evaluated in double: (-1)^s 2^(e-15) (1 + f/1024), subnormals, inf, NaN. */
  private static double reference(int h) {
    int s = (h >> 15) & 1;
    int e = (h >> 10) & 31;
    int f = h & 1023;
    double sign = s == 1 ? -1.0 : 1.0;
    if (e == 31) {
      return f == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
    }
    if (e == 0) {
      return sign * Math.pow(2, -14) * (f / 1024.0);
    }
    return sign * Math.pow(2, e - 15) * (1 + f / 1024.0);
  }

  @Test
  void everyHalfValueConvertsExactly() {
    for (int h = 0; h < 65536; h++) {
      double want = reference(h);
      float got = Half.f16ToFloat(h);
      if (Double.isNaN(want)) {
        assertTrue(Float.isNaN(got), "NaN for " + Integer.toHexString(h));
      } else {
        // Exact: compare as doubles and keep the sign of zero.
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), "half " + Integer.toHexString(h));
      }
    }
  }

  @Test
  void knownHalfValues() {
    assertEquals(1.0f, Half.f16ToFloat(0x3c00));
    assertEquals(-2.0f, Half.f16ToFloat(0xc000));
    assertEquals(65504.0f, Half.f16ToFloat(0x7bff));
    assertEquals(0x1p-24f, Half.f16ToFloat(0x0001));
    assertEquals(0x1p-14f, Half.f16ToFloat(0x0400));
    assertEquals(Float.NEGATIVE_INFINITY, Half.f16ToFloat(0xfc00));
  }

  @Test
  void everyBfloat16ValueConvertsExactly() {
    for (int h = 0; h < 65536; h++) {
      int s = (h >> 15) & 1;
      int e = (h >> 7) & 255;
      int f = h & 127;
      double sign = s == 1 ? -1.0 : 1.0;
      float got = Half.bf16ToFloat(h);
      if (e == 255) {
        assertTrue(f == 0 ? Float.isInfinite(got) && Math.signum(got) == sign : Float.isNaN(got));
        continue;
      }
      double want = e == 0 ? sign * Math.pow(2, -126) * (f / 128.0) : sign * Math.pow(2, e - 127) * (1 + f / 128.0);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), "bf16 " + Integer.toHexString(h));
    }
  }
}
