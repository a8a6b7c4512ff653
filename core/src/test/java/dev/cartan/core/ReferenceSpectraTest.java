package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Real weights: the singular values of every matrix view in ../shared/fixtures/weights/reference_spectra.json
 * (LAPACK), fed to {@link Spectrum}: Frobenius norm against the fixture's own {@code frobenius_norm} (computed
 * from the tensor, not from the singular values), stable rank {@code ||W||_F^2 / sigma_1^2}, top singular values,
 * and every report quantity finite. Skipped when the fixtures are absent.
 */
class ReferenceSpectraTest {
  static final Path FIXTURE = Path.of(System.getProperty("cartan.fixtures", "/work/shared/fixtures"))
      .resolve("weights/reference_spectra.json");

  @Test
  void realWeightSpectra() throws IOException {
    assumeTrue(Files.isRegularFile(FIXTURE), "fixture absent: " + FIXTURE);
    JsonNode root = new ObjectMapper().readTree(FIXTURE.toFile());
    int count = 0;
    for (JsonNode mtx : root.get("matrices")) {
      JsonNode sv = mtx.get("singular_values");
      double[] sigma = new double[sv.size()];
      for (int i = 0; i < sigma.length; i++) {
        sigma[i] = sv.get(i).asDouble();
      }
      int m = mtx.get("matrix_shape").get(0).asInt();
      int n = mtx.get("matrix_shape").get(1).asInt();
      String name = mtx.get("tensor").asText();
      double fro = mtx.get("frobenius_norm").asDouble();
      Spectrum sp = Spectrum.ofSingularValues(sigma, m, n);
      assertEquals(fro, sp.frobeniusNorm(), 1e-6 * fro, name + " Frobenius norm");
      assertEquals(fro * fro / (sigma[0] * sigma[0]), RankStatistics.stableRank(sp), 1e-5 * sp.dimension(),
          name + " stable rank");
      double[] sorted = sp.sigma();
      for (int i = 0; i < Math.min(5, sorted.length); i++) {
        assertEquals(sigma[i], sorted[i], 0, name + " sigma_" + (i + 1));
      }
      LayerReport report = LayerReport.of(name, sp);
      assertTrue(report.allFinite(), name + " report has a non-finite number");
      count++;
    }
    assertTrue(count > 0);
  }
}
