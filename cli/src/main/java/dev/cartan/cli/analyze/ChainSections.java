package dev.cartan.cli.analyze;

import dev.cartan.cli.ChainCommand;
import dev.cartan.cli.ResidualChains;
import dev.cartan.cli.analyze.AnalysisResult.ChainEntry;
import dev.cartan.cli.analyze.AnalysisResult.MatrixEntry;
import dev.cartan.cli.io.TensorSource;
import dev.cartan.core.chain.ChainReport;
import dev.cartan.kernels.svd.SvdOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code chains} section of {@code cartan analyze}: the static residual proxy chains (THEORY.md section 8,
 * factors {@code I + W_l}, see {@link ResidualChains}) of the square residual-stream matrices of one role.
 *
 * <p>Members: analyzed matrices (so {@code --include}/{@code --exclude} and failed tensors count) of the chain role
 * that are whole stored 2-D tensors (no part, no slice), square with {@code d >= 2}, and carry a depth. They are
 * grouped by input, naming template (the name with digit runs replaced by {@code #}, which keeps e.g. an encoder
 * and a decoder apart) and d, and ordered by depth, then name. A group of fewer than two matrices is no chain.
 * The near-identity expansion 8.13 is left out (one eigen-decomposition per factor; {@code cartan chain
 * --residual} has it).
 */
final class ChainSections {
  private ChainSections() {}

  /** One group: its key parts and its member entries. */
  private record Group(int source, String template, int d, List<MatrixEntry> members) {}

  /**
   * The chains of {@code role} among {@code entries}, with {@code sources.get(source.get(i))} the open source of
   * {@code entries.get(i)}. Run-level warnings go to {@code warnings}; when {@code explicit} (the user gave
   * {@code --chain}) and there is no chain, a warning says so. The states' singular values use the SVD route
   * {@code method}, the one the layers use.
   */
  static List<ChainEntry> of(List<MatrixEntry> entries, List<Integer> source, List<TensorSource> sources,
      LayerRole role, boolean explicit, SvdOptions.Method method, List<String> warnings) {
    Map<String, Group> groups = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      MatrixEntry e = entries.get(i);
      if (!e.role().equals(role.label()) || e.part() != null || e.slice() != null || e.shape().length != 2
          || e.rows() != e.cols() || e.rows() < 2 || e.depth() < 0) {
        continue;
      }
      String template = e.tensor().replaceAll("\\d+", "#");
      int s = source.get(i);
      groups.computeIfAbsent(s + "\u0000" + template + "\u0000" + e.rows(),
          k -> new Group(s, template, e.rows(), new ArrayList<>())).members().add(e);
    }
    List<ChainEntry> out = new ArrayList<>();
    for (Group g : groups.values()) {
      if (g.members().size() >= 2) {
        out.add(chain(g, sources.get(g.source()), role, method, warnings));
      }
    }
    if (out.isEmpty() && explicit) {
      warnings.add("no residual proxy chain: no depth-ordered group of at least two square " + role.label()
          + " matrices (d >= 2) among the analyzed matrices");
    }
    return out;
  }

  private static ChainEntry chain(Group g, TensorSource src, LayerRole role, SvdOptions.Method method,
      List<String> warnings) {
    List<MatrixEntry> m = new ArrayList<>(g.members());
    m.sort(Comparator.comparingInt(MatrixEntry::depth).thenComparing(MatrixEntry::tensor, ChainCommand.NATURAL));
    List<String> names = m.stream().map(MatrixEntry::tensor).toList();
    List<Integer> depths = m.stream().map(MatrixEntry::depth).toList();
    List<Integer> indices = m.stream().map(MatrixEntry::index).toList();
    String label = "chain " + role.label() + " " + g.template() + " (d = " + g.d() + ")";
    boolean transposed = ResidualChains.storedTransposed(names.get(0), 2);
    List<String> own = new ArrayList<>();
    ChainReport report = null;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    boolean cpu = mx.isCurrentThreadCpuTimeSupported();
    long c0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
    long t0 = System.nanoTime();
    try {
      ResidualChains.Factors f = ResidualChains.read(src, names);
      transposed = f.transposed();
      report = ResidualChains.analyze(f, false, method);
      if (!allFinite(report)) {
        own.add("some numbers of the chain report are not finite and are written as null");
      }
    } catch (IOException | RuntimeException e) {
      own.add("not computed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (OutOfMemoryError e) {
      own.add("not computed: out of memory (try -Xmx)");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = cpu ? (mx.getCurrentThreadCpuTime() - c0) / 1e9 : -1;
    for (String w : own) {
      warnings.add(label + ": " + w);
    }
    return new ChainEntry(role.label(), src.path().toString(), g.template(), m.get(0).family(), transposed, true,
        g.d(), names, depths, indices, seconds, cpuSeconds, report, own);
  }

  /**
   * True if every {@code double} reachable from {@code o} through record components, lists and arrays is finite
   * (the JSON writer turns the others into null; this lets the entry say so in its own warnings).
   */
  static boolean allFinite(Object o) {
    if (o instanceof Double d) {
      return Double.isFinite(d);
    }
    if (o instanceof double[] a) {
      for (double v : a) {
        if (!Double.isFinite(v)) {
          return false;
        }
      }
      return true;
    }
    if (o instanceof Collection<?> c) {
      return c.stream().allMatch(ChainSections::allFinite);
    }
    if (o instanceof Record r) {
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        try {
          if (!allFinite(rc.getAccessor().invoke(r))) {
            return false;
          }
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + rc.getName() + " of " + r.getClass().getName(), e);
        }
      }
    }
    return true;
  }
}
