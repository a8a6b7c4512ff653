package dev.cartan.cli.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.svd.SvdOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shared real-weight fixtures (../shared/fixtures/weights): every file lists and reads, the format variants
 * of PP-OCRv4 and the face ResNet agree tensor by tensor within the rounding bound of their storage type, and the
 * matrix views match reference_spectra.json (shapes, Frobenius norms, and sum of squared singular values =
 * squared Frobenius norm, and the SVD of every view within 1e-12 sigma_1 of the reference). Skipped when the fixtures are absent.
 */
class FixturesTest {
  static Path weights() {
    String prop = System.getProperty("cartan.fixtures");
    for (String c : new String[] {prop, "../shared/fixtures", "../../shared/fixtures", "/work/shared/fixtures"}) {
      if (c != null && Files.isDirectory(Path.of(c, "weights"))) {
        return Path.of(c, "weights");
      }
    }
    return null;
  }

  private static Path fixture(String rel) {
    Path w = weights();
    assumeTrue(w != null && Files.exists(w.resolve(rel)), "shared fixtures absent: " + rel);
    return w.resolve(rel);
  }

  @Test
  void everyFixtureFileListsAndReads() throws Exception {
    Path w = weights();
    assumeTrue(w != null, "shared fixtures absent");
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> s = Files.walk(w)) {
      s.filter(Files::isRegularFile)
          .filter(p -> !p.toString().endsWith(".json") && !p.toString().endsWith(".md"))
          .filter(p -> !p.toString().endsWith(".npy"))
          .forEach(paths::add);
    }
    paths.add(w.resolve("ppocrv4-rec/npy"));
    assertTrue(paths.size() >= 7, paths.toString());
    for (Path p : paths) {
      try (TensorSource s = Checkpoints.open(p)) {
        assertEquals(List.of(), s.problems(), p.toString());
        assertTrue(s.tensors().size() >= 47, p.toString());
        for (TensorInfo t : s.tensors()) {
          float[] x = s.readFloat(t.name());
          assertEquals(t.numel(), x.length, p + " " + t.name());
          for (float v : x) {
            if (!Float.isFinite(v)) {
              fail(p + " " + t.name() + " holds " + v);
            }
          }
        }
      }
    }
  }

  @Test
  void pytorchAndNpyEqualSafetensorsExactly() throws Exception {
    Path st = fixture("ppocrv4-rec/ppocrv4_rec.safetensors");
    try (TensorSource ref = Checkpoints.open(st);
        TensorSource pt = Checkpoints.open(fixture("ppocrv4-rec/ppocrv4_rec.pt"));
        TensorSource npy = Checkpoints.open(fixture("ppocrv4-rec/npy"))) {
      assertEquals(234, ref.tensors().size());
      assertEquals(234, pt.tensors().size());
      assertEquals(47, npy.tensors().size());
      for (TensorInfo t : ref.tensors()) {
        assertArrayEquals(t.shape(), pt.info(t.name()).shape(), t.name());
        assertArrayEquals(ref.readFloat(t.name()), pt.readFloat(t.name()), t.name());
      }
      for (TensorInfo t : npy.tensors()) {
        assertArrayEquals(ref.info(t.name()).shape(), t.shape(), t.name());
        assertArrayEquals(ref.readFloat(t.name()), npy.readFloat(t.name()), t.name());
      }
    }
  }

  /** |bf16(x) - x| <= 2^-8 |x| for round-to-nearest to 8 significant bits (normal range). */
  private static void withinRelative(float[] ref, float[] got, double rel, double abs, String what) {
    assertEquals(ref.length, got.length, what);
    for (int i = 0; i < ref.length; i++) {
      double err = Math.abs((double) got[i] - ref[i]);
      if (!(err <= rel * Math.abs(ref[i]) + abs)) {
        fail(what + "[" + i + "]: " + ref[i] + " vs " + got[i]);
      }
    }
  }

  @Test
  void bf16VariantWithinRoundingBound() throws Exception {
    try (TensorSource ref = Checkpoints.open(fixture("ppocrv4-rec/ppocrv4_rec.safetensors"));
        TensorSource bf = Checkpoints.open(fixture("ppocrv4-rec/ppocrv4_rec.bf16.safetensors"))) {
      for (TensorInfo t : ref.tensors()) {
        TensorInfo b = bf.info(t.name());
        assertEquals(t.rank() >= 2 ? DType.BF16 : DType.F32, b.dtype(), t.name());
        float[] r = ref.readFloat(t.name());
        if (t.rank() >= 2) {
          withinRelative(r, bf.readFloat(t.name()), 0x1p-8, 0x1p-133, t.name());
        } else {
          assertArrayEquals(r, bf.readFloat(t.name()), t.name());
        }
      }
    }
  }

  @Test
  void f16FaceResnetWithinRoundingBound() throws Exception {
    try (TensorSource ref = Checkpoints.open(fixture("face-resnet/face_resnet.oihw.safetensors"));
        TensorSource h = Checkpoints.open(fixture("face-resnet/face_resnet.f16.safetensors"))) {
      assertEquals(ref.tensors().size(), h.tensors().size());
      for (TensorInfo t : ref.tensors()) {
        float[] r = ref.readFloat(t.name());
        if (h.info(t.name()).dtype() == DType.F16) {
          // binary16: relative half-ulp 2^-11 for normals, absolute 2^-25 in the subnormal range.
          withinRelative(r, h.readFloat(t.name()), 0x1p-11, 0x1p-25, t.name());
        } else {
          assertArrayEquals(r, h.readFloat(t.name()), t.name());
        }
      }
    }
  }

  @Test
  void ggufVariantWithinQ8_0AndF16Bounds() throws Exception {
    try (TensorSource ref = Checkpoints.open(fixture("ppocrv4-rec/ppocrv4_rec.safetensors"));
        TensorSource g = Checkpoints.open(fixture("ppocrv4-rec/ppocrv4_rec.mixed.gguf"))) {
      int q8 = 0;
      for (TensorInfo t : ref.tensors()) {
        TensorInfo gi = g.info(t.name());
        assertArrayEquals(t.shape(), gi.shape(), t.name());
        long[] sh = t.shape();
        DType expect = t.rank() < 2 ? DType.F32 : sh[sh.length - 1] % 32 == 0 ? DType.Q8_0 : DType.F16;
        assertEquals(expect, gi.dtype(), t.name());
        float[] r = ref.readFloat(t.name());
        float[] x = g.readFloat(t.name());
        switch (gi.dtype()) {
          case F32 -> assertArrayEquals(r, x, t.name());
          case F16 -> withinRelative(r, x, 0x1p-11, 0x1p-25, t.name());
          case Q8_0 -> {
            q8++;
            // Q8_0 blocks run along the innermost (last row-major) dim: d = amax/127 rounded to f16, q = round(x/d);
            // |d' q - x| <= d/2 + 127 |d' - d| <= d (1/2 + 127 * 2^-11) < 0.6 d.
            for (int b = 0; b < r.length; b += 32) {
              double amax = 0;
              for (int i = b; i < b + 32; i++) {
                amax = Math.max(amax, Math.abs(r[i]));
              }
              double bound = 0.6 * amax / 127 + 1e-12;
              for (int i = b; i < b + 32; i++) {
                if (!(Math.abs(x[i] - r[i]) <= bound)) {
                  fail(t.name() + "[" + i + "]: " + r[i] + " vs " + x[i] + ", bound " + bound);
                }
              }
            }
          }
          default -> throw new AssertionError(gi.dtype());
        }
      }
      // The fixture as shipped has no rank >= 2 tensor whose innermost dim is a multiple of 32, so every matrix
      // is F16 and q8 stays 0; Q8_0 rounding is covered by RoundTripTest.ggufQ8_0WithinRoundingBound.
      assertTrue(q8 >= 0);
    }
  }

  @Test
  void matrixViewsMatchReferenceSpectra() throws Exception {
    Path w = weights();
    assumeTrue(w != null && Files.exists(w.resolve("reference_spectra.json")), "shared fixtures absent");
    JsonNode root = Json.MAPPER.readTree(w.resolve("reference_spectra.json").toFile());
    int checked = 0;
    for (JsonNode m : root.get("matrices")) {
      try (TensorSource s = Checkpoints.open(w.resolve(m.get("file").asText()))) {
        String name = m.get("tensor").asText();
        int[] rc = s.matrixShape(name);
        assertEquals(m.get("matrix_shape").get(0).asInt(), rc[0], name);
        assertEquals(m.get("matrix_shape").get(1).asInt(), rc[1], name);
        DMatrix a = s.readDMatrix(name);
        double fro = a.frobeniusNorm();
        assertEquals(m.get("frobenius_norm").asDouble(), fro, 1e-10 * fro, name);
        double sumSq = 0;
        for (JsonNode sv : m.get("singular_values")) {
          sumSq += sv.asDouble() * sv.asDouble();
        }
        // sum sigma_i^2 = ||A||_F^2: ties the stored spectrum to the matrix view we built.
        assertEquals(sumSq, fro * fro, 1e-9 * sumSq, name);
        // Through the reader and both SVD routes, every value within 1e-12 sigma_1 of LAPACK's (issues #4, #6).
        double s1 = m.get("singular_values").get(0).asDouble();
        for (SvdOptions.Method method : new SvdOptions.Method[] {SvdOptions.Method.FAST, SvdOptions.Method.ACCURATE}) {
          double[] got = Svd.decompose(a, SvdOptions.valuesOnly().withMethod(method)).values();
          assertEquals(m.get("singular_values").size(), got.length, name);
          for (int k = 0; k < got.length; k++) {
            double ref = m.get("singular_values").get(k).asDouble();
            assertEquals(ref, got[k], 1e-12 * s1, name + " " + method + " value " + k);
          }
        }
        checked++;
      }
    }
    assertTrue(checked > 50, "checked " + checked);
  }
}
