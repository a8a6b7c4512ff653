package dev.cartan.cli.analyze;

import dev.cartan.cli.ChainCommand;
import dev.cartan.cli.ResidualChains;
import dev.cartan.cli.analyze.AnalysisResult.ChainEntry;
import dev.cartan.cli.analyze.AnalysisResult.MatrixEntry;
import dev.cartan.cli.io.TensorInfo;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

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

  /**
   * A matrix that can join a chain: its input's position among the opened sources, tensor name, output index (-1
   * before the run has numbered it), depth, family and side {@code d}.
   */
  record Member(int source, String tensor, int index, int depth, String family, int d) {}

  /** One chain to compute: its input, naming template, side and members in chain order. */
  record Plan(int source, String template, int d, List<Member> members) {
    List<String> names() {
      return members.stream().map(Member::tensor).toList();
    }

    /** Same input, group and member tensors (output indices aside). */
    boolean sameChain(Plan o) {
      return source == o.source && d == o.d && template.equals(o.template) && names().equals(o.names());
    }
  }

  /** A computed chain: the report (null when it could not be computed), orientation, own warnings, times. */
  record Computed(ChainReport report, boolean transposed, List<String> warnings, double seconds, double cpuSeconds) {}

  /**
   * The member of a chain of {@code role} that entry {@code e} of source {@code source} makes, or null: whole
   * stored 2-D tensors (no part, no slice) of the role, square with {@code d >= 2}, with a depth.
   */
  static Member member(MatrixEntry e, int source, LayerRole role) {
    if (!e.role().equals(role.label()) || e.part() != null || e.slice() != null || e.shape().length != 2
        || e.rows() != e.cols() || e.rows() < 2 || e.depth() < 0) {
      return null;
    }
    return new Member(source, e.tensor(), e.index(), e.depth(), e.family(), e.rows());
  }

  /**
   * The member a selected tensor will make once analyzed, predicted from its header and parsed name alone (the
   * rule of {@link #member}: a 2-D square tensor of the role that {@link LayerName#split} leaves whole), or null.
   */
  static Member predictedMember(TensorInfo info, LayerName name, int source, LayerRole role) {
    long[] shape = info.shape();
    if (shape.length != 2 || shape[0] != shape[1] || shape[0] < 2 || shape[0] > Integer.MAX_VALUE
        || name.role() != role || name.depth() < 0 || name.split((int) shape[0], (int) shape[1]).size() > 1) {
      return null;
    }
    return new Member(source, info.name(), -1, name.depth(), name.family(), (int) shape[0]);
  }

  /**
   * The chains among {@code members} (in output order): grouped by input, naming template (the name with digit
   * runs replaced by {@code #}) and d, in order of first appearance, members ordered by depth then name; groups
   * of fewer than two members are no chain.
   */
  static List<Plan> plans(List<Member> members) {
    Map<String, Plan> groups = new LinkedHashMap<>();
    for (Member m : members) {
      String template = m.tensor().replaceAll("\\d+", "#");
      groups.computeIfAbsent(m.source() + "\u0000" + template + "\u0000" + m.d(),
          k -> new Plan(m.source(), template, m.d(), new ArrayList<>())).members().add(m);
    }
    List<Plan> out = new ArrayList<>();
    for (Plan g : groups.values()) {
      if (g.members().size() >= 2) {
        g.members().sort(Comparator.comparingInt(Member::depth).thenComparing(Member::tensor, ChainCommand.NATURAL));
        out.add(g);
      }
    }
    return out;
  }

  /**
   * The chains of {@code role} among {@code entries}, with {@code sources.get(source.get(i))} the open source of
   * {@code entries.get(i)}. Run-level warnings go to {@code warnings}; when {@code explicit} (the user gave
   * {@code --chain}) and there is no chain, a warning says so. The states' singular values use the SVD route
   * {@code method}, the one the layers use. {@code early} holds chains computed ahead of the analysis from
   * predicted members ({@link #predictedMember}); a plan with the same members reuses that result, any other is
   * computed here, so the output is the same as without {@code early}.
   */
  static List<ChainEntry> of(List<MatrixEntry> entries, List<Integer> source, List<TensorSource> sources,
      LayerRole role, boolean explicit, SvdOptions.Method method, List<String> warnings,
      Map<Plan, Future<Computed>> early) {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Member m = member(entries.get(i), source.get(i), role);
      if (m != null) {
        members.add(m);
      }
    }
    List<ChainEntry> out = new ArrayList<>();
    for (Plan g : plans(members)) {
      Computed c = null;
      for (Map.Entry<Plan, Future<Computed>> e : early.entrySet()) {
        if (e.getKey().sameChain(g)) {
          c = await(e.getValue());
          break;
        }
      }
      TensorSource src = sources.get(g.source());
      if (c == null) {
        c = compute(g, src, method);
      }
      out.add(entry(g, c, src, role, warnings));
    }
    if (out.isEmpty() && explicit) {
      warnings.add("no residual proxy chain: no depth-ordered group of at least two square " + role.label()
          + " matrices (d >= 2) among the analyzed matrices");
    }
    return out;
  }

  /** Reads the members of {@code g} from {@code src} and computes the chain report; never throws for bad data. */
  static Computed compute(Plan g, TensorSource src, SvdOptions.Method method) {
    List<String> names = g.names();
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
    return new Computed(report, transposed, List.copyOf(own), seconds, cpuSeconds);
  }

  private static ChainEntry entry(Plan g, Computed c, TensorSource src, LayerRole role, List<String> warnings) {
    List<Member> m = g.members();
    String label = "chain " + role.label() + " " + g.template() + " (d = " + g.d() + ")";
    for (String w : c.warnings()) {
      warnings.add(label + ": " + w);
    }
    return new ChainEntry(role.label(), src.path().toString(), g.template(), m.get(0).family(), c.transposed(),
        true, g.d(), g.names(), m.stream().map(Member::depth).toList(), m.stream().map(Member::index).toList(),
        c.seconds(), c.cpuSeconds(), c.report(), c.warnings());
  }

  private static Computed await(Future<Computed> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a chain", e);
    } catch (ExecutionException e) {
      // compute() turns every exception into warnings; anything here is a bug (e.g. an Error).
      throw new IllegalStateException("a chain task failed: " + e.getCause(), e.getCause());
    }
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
