package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cartan.core.Draws.IntRange;
import dev.cartan.core.Draws.LongRange;
import dev.cartan.core.Draws.Property;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The layer report: consistent with the parts, finite in degenerate cases, serializable by a plain mapper. */
class LayerReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void degenerateSpectraGiveFlagsAndFiniteNumbers() throws Exception {
    Spectrum[] cases = {
      Spectrum.ofSingularValues(new double[] {4}),
      Spectrum.ofSingularValues(new double[] {1, 0, 0, 0}, 4, 9),
      Spectrum.ofSingularValues(new double[] {2, 2, 2}),
      Spectrum.ofSingularValues(new double[] {1e-300, 1e-301, 0}),
      Spectrum.ofSingularValues(new double[] {1e300, 1e299, 1e298}),
    };
    for (Spectrum sp : cases) {
      LayerReport r = LayerReport.of("x", sp);
      assertTrue(r.allFinite(), sp.toString());
      String json = MAPPER.writeValueAsString(r);
      assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
      JsonNode back = MAPPER.readTree(json);
      assertEquals(4, back.get("charts").size());
      assertEquals(sp.dimension(), back.get("dimension").asInt());
    }
    assertTrue(LayerReport.of("d1", cases[0]).degenerate());
    assertTrue(LayerReport.of("rank1", cases[1]).rankDeficient());
    assertFalse(LayerReport.of("rank1", cases[1]).classic().spectralEntropyDefined());
    assertTrue(LayerReport.of("flat", cases[2]).isotropic());
    assertFalse(LayerReport.of("flat", cases[2]).classic().powerLawValid());
  }

  @Property(tries = 20, seed = "20261128")
  void reportAgreesWithItsParts(@IntRange(min = 2, max = 4096) int d,
      @LongRange(min = 0, max = 1000) long seed) {
    Spectrum sp = ChartsTest.randomSpectrum(new Random(seed), d);
    LayerReport r = LayerReport.of("layer", sp);
    assertTrue(r.allFinite());
    for (Chart c : Chart.values()) {
      assertEquals(Charts.fit(sp, c), r.chart(c));
    }
    assertEquals(RankStatistics.effectiveRank(sp, 0.9).kEff(), r.kEff());
    assertEquals(ClassicMetrics.of(sp), r.classic());
    assertEquals(sp.topRadial(), r.topRadial());
    assertEquals(2 * Math.log10(sp.frobeniusNorm()), r.classic().logNorm(), 1e-12);
    assertEquals(r.stableRank(), r.classic().stableRank());
    assertTrue(r.classic().spectralEntropy() >= 0 && r.classic().spectralEntropy() <= 1);
  }
}
