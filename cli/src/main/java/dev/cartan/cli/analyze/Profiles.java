package dev.cartan.cli.analyze;

import dev.cartan.cli.analyze.AnalysisResult.MatrixEntry;
import dev.cartan.cli.analyze.AnalysisResult.ProfilePoint;
import dev.cartan.cli.analyze.AnalysisResult.RoleProfile;
import dev.cartan.core.Chart;
import dev.cartan.core.ChartFit;
import dev.cartan.core.Distances;
import dev.cartan.core.Spectrum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-role depth profiles (THEORY.md section 9): the matrices of each role ordered by depth, the chosen chart's
 * exponent {@code shat(depth)}, the adjacent drift {@code |Delta shat|}, and the Hellinger and spectral
 * Bures-Wasserstein distances between adjacent layers' energy spectra when their d match. These are diagnostics,
 * not a verification of anything: a chain analysis needs the operators of one chain.
 */
final class Profiles {
  private Profiles() {}

  /**
   * The profiles of {@code entries} (with {@code spectra[i]} the spectrum of {@code entries[i]}), one per role in
   * order of first appearance. Within a role, points sort by depth; names without a depth (-1) keep file order,
   * after those with one. Conv slices are left out (a slice is not a layer).
   */
  static List<RoleProfile> of(List<MatrixEntry> entries, List<Spectrum> spectra, Chart chart) {
    Map<String, List<Integer>> byRole = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).slice() == null) {
        byRole.computeIfAbsent(entries.get(i).role(), k -> new ArrayList<>()).add(i);
      }
    }
    List<RoleProfile> out = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> g : byRole.entrySet()) {
      List<Integer> idx = new ArrayList<>(g.getValue());
      idx.sort(Comparator.comparingInt((Integer i) -> entries.get(i).depth() < 0 ? 1 : 0)
          .thenComparingInt(i -> Math.max(entries.get(i).depth(), 0))
          .thenComparingInt(i -> i));
      List<ProfilePoint> points = new ArrayList<>(idx.size());
      int prev = -1;
      for (int i : idx) {
        MatrixEntry e = entries.get(i);
        ChartFit fit = e.report().chart(chart);
        Double drift = null;
        Double hel = null;
        Double bw = null;
        if (prev >= 0) {
          drift = Math.abs(fit.s() - entries.get(prev).report().chart(chart).s());
          Spectrum a = spectra.get(prev);
          Spectrum b = spectra.get(i);
          if (a.dimension() == b.dimension()) {
            hel = Distances.hellinger(a, b);
            bw = Distances.spectralBuresWasserstein(a, b);
          }
        }
        points.add(new ProfilePoint(e.index(), e.label(), e.depth(), e.report().dimension(), fit.s(),
            e.report().topRadial(), e.report().kEff(), e.report().entropyRank(), fit.hellingerResidual(), drift, hel,
            bw));
        prev = i;
      }
      out.add(new RoleProfile(g.getKey(), chart.id(), points));
    }
    return out;
  }
}
