package dev.cartan.cli.analyze;

import static dev.cartan.cli.analyze.AnalyzeFiles.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cartan.cli.ExitCodes;
import dev.cartan.cli.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code cartan analyze} on every file of the shared real-weights fixtures (skipped when absent), each format,
 * checked against the LAPACK singular values of reference_spectra.json. Only a few tensors per file (by
 * --include) keep the suite fast; the format paths are the same for all tensors.
 */
class AnalyzeFixturesTest {
  static final Path WEIGHTS = Path.of("/work/shared/fixtures/weights");
  static final String PPOCR = "linear_78\\.w_0|conv2d_10\\.w_0";
  static final String FACE = "(^|\\.)fc\\.weight|conv32_1\\.conv1\\.";

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("ppocrv4-rec/ppocrv4_rec.safetensors", PPOCR, 1e-10),
        Arguments.of("ppocrv4-rec/ppocrv4_rec.pt", PPOCR, 1e-10),
        Arguments.of("ppocrv4-rec/npy", PPOCR, 1e-10),
        Arguments.of("ppocrv4-rec/ppocrv4_rec.bf16.safetensors", PPOCR, 3e-2),
        Arguments.of("ppocrv4-rec/ppocrv4_rec.mixed.gguf", PPOCR, 1e-2),
        Arguments.of("face-resnet/face_resnet.oihw.safetensors", FACE, 1e-10),
        Arguments.of("face-resnet/face_resnet.f16.safetensors", FACE, 1e-2));
  }

  /** Reference spectral and Frobenius norms by tensor name, from the F32 files. */
  static Map<String, double[]> reference() throws Exception {
    JsonNode ref = Json.mapper().readTree(WEIGHTS.resolve("reference_spectra.json").toFile());
    Map<String, double[]> out = new HashMap<>();
    for (JsonNode m : ref.get("matrices")) {
      out.put(m.get("tensor").asText(),
          new double[] {m.get("singular_values").get(0).asDouble(), m.get("frobenius_norm").asDouble()});
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("files")
  void everyFixtureFormatIsAnalyzedAndMatchesTheReference(String file, String include, double tol)
      throws Exception {
    Path p = WEIGHTS.resolve(file);
    assumeTrue(Files.exists(p), "fixture " + p + " absent");
    AnalyzeFiles.Run r = run("analyze", p.toString(), "--include", include, "--threads", "2");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(0, j.get("errors").size(), j.get("errors").toString());
    assertEquals(2, j.get("matrices").size(), r.out());
    Map<String, double[]> ref = reference();
    for (JsonNode e : j.get("matrices")) {
      String name = e.get("tensor").asText();
      double[] want = ref.get(name);
      assertTrue(want != null, "no reference for " + name);
      assertEquals(want[0], e.at("/report/spectralNorm").asDouble(), tol * want[0], name);
      assertEquals(want[1], e.at("/report/frobeniusNorm").asDouble(), tol * want[1], name);
      assertTrue(e.at("/svd/converged").asBoolean());
      assertTrue(e.get("warnings").isEmpty(), e.get("warnings").toString());
    }
  }
}
