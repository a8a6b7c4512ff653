package dev.cartan.cli.analyze;

import dev.cartan.cli.CartanVersion;
import dev.cartan.cli.CliException;
import dev.cartan.cli.ExitCodes;
import dev.cartan.cli.Json;
import dev.cartan.cli.analyze.AnalysisResult.ErrorEntry;
import dev.cartan.cli.analyze.AnalysisResult.Input;
import dev.cartan.cli.analyze.AnalysisResult.MatrixEntry;
import dev.cartan.cli.io.CheckpointFormatException;
import dev.cartan.cli.io.Checkpoints;
import dev.cartan.cli.io.TensorInfo;
import dev.cartan.cli.io.TensorSource;
import dev.cartan.cli.report.Progress;
import dev.cartan.core.Chart;
import dev.cartan.core.ChartOptions;
import dev.cartan.core.PowerLaw;
import dev.cartan.core.RankWindow;
import dev.cartan.core.ReportOptions;
import dev.cartan.core.Spectrum;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.Warmup;
import dev.cartan.kernels.svd.DqdsWarmup;
import dev.cartan.kernels.svd.SvdOptions;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cartan analyze PATH...}: every weight matrix of one or more checkpoints (files or model folders in any
 * format {@link Checkpoints} reads), with its layer report (THEORY.md sections 1, 2, 5, 7, 10, every chart), SVD
 * diagnostics and timings, plus per-role depth profiles (section 9) and the static residual proxy chain (section
 * 8, {@link ChainSections}) of the square matrices of one role. Output: JSON (default, schema in docs/output.md),
 * CSV (one row per matrix) or text on stdout or {@code --out}; optionally an HTML report.
 *
 * <p>Tensors are analyzed in parallel on {@code --threads} workers; each worker reads its tensor, so memory holds
 * at most {@code threads + 1} tensors in flight. Output order is file order whatever the scheduling. A tensor that
 * cannot be read or analyzed becomes an error entry and the others proceed; the exit code is then
 * {@link ExitCodes#ERROR} (1).
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
        "Analyze every weight matrix of checkpoints (safetensors, sharded folders, .npy/.npz, PyTorch, GGUF, ONNX):",
        "singular spectra, every chart's exponent, effective ranks, classic heavy-tail metrics, per-role depth",
        "profiles, the static residual proxy chain I + W_l of square attention outputs. JSON by default on",
        "stdout. Exit code 1 when some tensors could not be analyzed."
    })
public final class AnalyzeCommand implements java.util.concurrent.Callable<Integer> {
  /** Output formats of the analysis. */
  enum Format {
    json,
    text,
    csv
  }

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Checkpoint files or model folders.")
  List<Path> paths;

  @Option(names = "--include", paramLabel = "<regex>",
      description = "Analyze only tensors whose name matches (find) one of these patterns (repeatable).")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "<regex>",
      description = "Skip tensors whose name matches (find) one of these patterns (repeatable).")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--chart", defaultValue = "ls", paramLabel = "<chart>",
      description = "Chart of the exponent used in profiles, text and plots: ls, top, mle, hellinger (default: "
          + "${DEFAULT-VALUE}). Every chart is always in the JSON.")
  String chart;

  @Option(names = "--window", defaultValue = "all", paramLabel = "<window>",
      description = "Rank window of the charts: all (ranks with positive energy), lo:hi (1-based, inclusive), or "
          + "energy ([1, k_eff(tau)]) (default: ${DEFAULT-VALUE}).")
  String window;

  @Option(names = "--tau", defaultValue = "0.9", paramLabel = "<tau>",
      description = "Energy quantile in (0, 1] of k_eff and of the energy window (default: ${DEFAULT-VALUE}).")
  double tau;

  @Option(names = "--precision", defaultValue = "f64", paramLabel = "<p>",
      description = "Read and decompose in ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Analyzer.Precision precision;

  @Option(names = "--svd", defaultValue = "auto", paramLabel = "<method>",
      description = "SVD method: fast, accurate, auto (default: ${DEFAULT-VALUE}).")
  String svd;

  @Option(names = "--conv", defaultValue = "flatten", paramLabel = "<mode>",
      description = "Conv kernels (rank >= 3): flatten to out x (in*kh*kw), or slices (one out x in matrix per "
          + "spatial position) (default: ${DEFAULT-VALUE}).")
  Analyzer.Conv conv;

  @Option(names = "--classic", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Compute the classic (WeightWatcher-style) metrics: power-law alpha, log norms, ... "
          + "(default: on; --no-classic turns them off).")
  boolean classic;

  @Option(names = "--threads", paramLabel = "<n>", description = "Worker threads (default: all cores); an SVD "
      + "that starts while workers are idle (a lone large matrix, the last ones of a run) uses them too.")
  Integer threads;

  @Option(names = "--format", defaultValue = "json", paramLabel = "<format>",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the result to FILE instead of stdout.")
  Path out;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report.")
  Path html;

  @Option(names = "--plot-layers", paramLabel = "<regex>",
      description = "HTML: plot the spectra of layers whose name matches (default: the largest matrix per role).")
  String plotLayers;

  @Option(names = "--chain", negatable = true, paramLabel = "<on>",
      description = "Add the static residual proxy chain (factors I + W_l, THEORY.md section 8) of the square "
          + "matrices of --chain-role, per depth-ordered group (default: on when such matrices exist; --no-chain "
          + "turns it off).")
  Boolean chain;

  @Option(names = "--chain-role", defaultValue = "attn_o", paramLabel = "<role>",
      description = "Role whose square residual-stream matrices make the chain (default: ${DEFAULT-VALUE}, the "
          + "attention output projections).")
  String chainRole;

  @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Prime the JIT with small calls of the SIMD primitives before the first matrix when some "
          + "matrix costs at least a " + WARMUP_MIN_SIDE + " x " + WARMUP_MIN_SIDE + " SVD (default: on; "
          + "--no-warmup turns it off).")
  boolean warmup;

  /** Side of the smallest square SVD for which the primitives' warm-up pays (docs/design-notes.md, "JIT warm-up"). */
  static final int WARMUP_MIN_SIDE = 256;

  /** Tensor, chain and warm-up tasks running now (see the analyzer's SVD threads). */
  private final AtomicInteger busy = new AtomicInteger();

  @Option(names = "--quiet", description = "No progress line on stderr (it is only shown on a terminal anyway).")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Chart ch = parseChart(chart);
    ReportOptions options = new ReportOptions(new ChartOptions(ChartOptions.DEFAULT_S_MAX, parseWindow(window, tau)),
        tau, PowerLaw.DEFAULT_MIN_TAIL);
    SvdOptions.Method method = parseMethod(svd);
    List<Pattern> inc = patterns(include, "--include");
    List<Pattern> exc = patterns(exclude, "--exclude");
    Pattern plot = plotLayers == null ? null : patterns(List.of(plotLayers), "--plot-layers").get(0);
    LayerRole role = parseRole(chainRole);
    int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (nThreads < 1) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--threads must be >= 1, not " + nThreads, null);
    }
    long start = System.nanoTime();
    // Each SVD may use the workers the other tasks in flight leave idle (the tail of a run, a lone large matrix).
    Analyzer analyzer = new Analyzer(options, method, precision, conv, classic,
        () -> svdThreads(nThreads, busy.get()));
    Run run = run(analyzer, inc, exc, nThreads, chain == null || chain ? role : null);
    KernelProvider p = KernelProvider.get();
    AnalysisResult result = new AnalysisResult(AnalysisResult.SCHEMA_VERSION,
        new AnalysisResult.Runtime(CartanVersion.get(), p.name(), p.species(), System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(), nThreads, (System.nanoTime() - start) / 1e9),
        new AnalysisResult.Settings(ch.id(), window, tau, precision.name(), method.name().toLowerCase(
            java.util.Locale.ROOT), conv.name(), classic, include, exclude, chain == null || chain, role.label()),
        run.inputs, run.entries, run.errors, run.skipped, Profiles.of(run.entries, run.spectra, ch), run.chains,
        run.warnings);
    writeResult(result, err);
    if (html != null) {
      Files.writeString(html, AnalysisHtml.render(result, run.spectra, ch, plot), StandardCharsets.UTF_8);
    }
    for (ErrorEntry e : run.errors) {
      err.println("cartan: error: " + (e.tensor() == null ? e.file() : e.tensor() + " (" + e.file() + ")") + ": "
          + e.reason());
    }
    err.flush();
    return run.errors.isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
  }

  private void writeResult(AnalysisResult result, PrintWriter err) throws IOException {
    Writer target;
    if (out == null) {
      target = spec.commandLine().getOut();
    } else {
      target = new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8);
    }
    PrintWriter w = target instanceof PrintWriter pw ? pw : new PrintWriter(target);
    try {
      switch (format) {
        case text -> w.print(AnalysisText.text(result));
        case csv -> w.print(AnalysisText.csv(result));
        default -> Json.write(result, w, err);
      }
      w.flush();
    } finally {
      if (out != null) {
        w.close();
      }
    }
  }

  /** Everything the workers produced, in output order. */
  private static final class Run {
    final List<Input> inputs = new ArrayList<>();
    final List<MatrixEntry> entries = new ArrayList<>();
    /** For each entry, its source's position in the list of opened sources. */
    final List<Integer> sourceOf = new ArrayList<>();
    final List<AnalysisResult.ChainEntry> chains = new ArrayList<>();
    final List<Spectrum> spectra = new ArrayList<>();
    final List<ErrorEntry> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    int skipped;
  }

  /** Analyzes every selected tensor, then (when {@code chainRole} is not null) the residual proxy chains. */
  private Run run(Analyzer analyzer, List<Pattern> inc, List<Pattern> exc, int nThreads, LayerRole chainRole) {
    Run run = new Run();
    List<TensorSource> sources = new ArrayList<>();
    List<List<TensorInfo>> selected = new ArrayList<>();
    List<List<LayerName>> names = new ArrayList<>();
    long totalBytes = 0;
    int total = 0;
    try {
      for (Path path : paths) {
        TensorSource src;
        try {
          src = Checkpoints.open(path);
        } catch (IOException | RuntimeException e) {
          run.inputs.add(new Input(path.toString(), null, 0));
          run.errors.add(new ErrorEntry(path.toString(), null, message(e)));
          continue;
        }
        sources.add(src);
        run.inputs.add(new Input(path.toString(), src.format(), src.tensors().size() + src.problems().size()));
        for (CheckpointFormatException pr : src.problems()) {
          run.errors.add(new ErrorEntry(String.valueOf(pr.file()), pr.tensor(), message(pr)));
        }
        List<TensorInfo> sel = new ArrayList<>();
        for (TensorInfo t : src.tensors()) {
          if (t.rank() < 2 || !matches(t.name(), inc, exc)) {
            run.skipped++;
          } else {
            sel.add(t);
            totalBytes += t.byteSize();
          }
        }
        total += sel.size();
        selected.add(sel);
        names.add(LayerName.parseAll(sel.stream().map(TensorInfo::name).toList(),
            sel.stream().map(TensorInfo::rank).toList()));
      }
      boolean showProgress = !quiet && System.console() != null;
      Progress progress = Progress.onTerminal(System.err, showProgress, total, totalBytes);
      // Tasks in file order; they run in the order of schedule() and are collected in file order.
      List<Runnable> starts = new ArrayList<>();
      List<Double> costs = new ArrayList<>();
      List<Future<Analyzer.Outcome>> futures = new ArrayList<>(total);
      List<Integer> futureSource = new ArrayList<>(total);
      Map<ChainSections.Plan, Future<ChainSections.Computed>> early = new LinkedHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(nThreads, r -> {
        Thread t = new Thread(r, "cartan-analyze");
        t.setDaemon(true);
        return t;
      });
      // threads + 1 tasks in flight: one queued per idle worker's next pick, so memory holds a few tensors.
      Semaphore inFlight = new Semaphore(nThreads + 1);
      try {
        List<ChainSections.Member> predicted = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
          TensorSource src = sources.get(s);
          for (int i = 0; i < selected.get(s).size(); i++) {
            TensorInfo info = selected.get(s).get(i);
            LayerName name = names.get(s).get(i);
            if (chainRole != null) {
              ChainSections.Member m = ChainSections.predictedMember(info, name, s, chainRole);
              if (m != null) {
                predicted.add(m);
              }
            }
            FutureTask<Analyzer.Outcome> task = new FutureTask<>(() -> {
              busy.incrementAndGet();
              try {
                return analyzer.analyze(src, info, name);
              } finally {
                busy.decrementAndGet();
                inFlight.release();
                progress.itemDone(info.byteSize());
              }
            });
            futures.add(task);
            futureSource.add(s);
            starts.add(task);
            costs.add(cost(info.matrixShape(), 1));
          }
        }
        // The chains of the predicted members start with the tensors instead of after them (one thread each).
        for (ChainSections.Plan plan : chainRole == null ? List.<ChainSections.Plan>of()
            : ChainSections.plans(predicted)) {
          TensorSource src = sources.get(plan.source());
          FutureTask<ChainSections.Computed> task = new FutureTask<>(() -> {
            busy.incrementAndGet();
            try {
              return ChainSections.compute(plan, src, analyzer.method());
            } finally {
              busy.decrementAndGet();
              inFlight.release();
            }
          });
          early.put(plan, task);
          starts.add(task);
          costs.add(cost(new int[] {plan.d(), plan.d()}, 2L * plan.members().size()));
        }
        if (warmup && needsWarmup(costs)) {
          // Ahead of every tensor, on every worker: the JIT's counters are shared, so the workers reach its
          // thresholds together, and rounds after the compiled code is in cost microseconds. dqds first, while
          // C2's queue is short (its thresholds grow with the queue that the primitives fill).
          boolean f32 = analyzer.precision() == Analyzer.Precision.f32;
          for (int w = 0; w < nThreads; w++) {
            // Busy too: an SVD starting beside a warm-up must not count that worker as idle.
            pool.execute(() -> {
              busy.incrementAndGet();
              try {
                DqdsWarmup.run(DqdsWarmup.ROUNDS);
                Warmup.primitives(Warmup.ROUNDS, f32);
              } finally {
                busy.decrementAndGet();
              }
            });
          }
        }
        for (int k : schedule(costs, nThreads)) {
          inFlight.acquireUninterruptibly();
          pool.execute(starts.get(k));
        }
        for (int fi = 0; fi < futures.size(); fi++) {
          Analyzer.Outcome o = get(futures.get(fi));
          if (o.error() != null) {
            run.errors.add(o.error());
          }
          for (int k = 0; k < o.entries().size(); k++) {
            MatrixEntry e = o.entries().get(k);
            MatrixEntry numbered = new MatrixEntry(run.entries.size(), e.file(), e.tensor(), e.part(), e.slice(),
                e.role(), e.depth(), e.family(), e.dtype(), e.shape(), e.rows(), e.cols(), e.svd(), e.timings(),
                e.report(), e.warnings());
            run.entries.add(numbered);
            run.sourceOf.add(futureSource.get(fi));
            run.spectra.add(o.spectra().get(k));
            for (String w : e.warnings()) {
              run.warnings.add(numbered.label() + ": " + w);
            }
          }
        }
        if (chainRole != null) {
          // Before the pool shuts down: the chains started early may still be running or queued there.
          run.chains.addAll(ChainSections.of(run.entries, run.sourceOf, sources, chainRole, chain != null,
              analyzer.method(), run.warnings, early));
        }
      } finally {
        pool.shutdownNow();
        progress.finish();
      }
    } finally {
      for (TensorSource src : sources) {
        try {
          src.close();
        } catch (IOException e) {
          run.warnings.add("cannot close " + src.path() + ": " + e.getMessage());
        }
      }
    }
    if (total == 0 && run.errors.isEmpty()) {
      run.warnings.add("no matrix matched: nothing was analyzed");
    }
    return run;
  }

  /** Whether some task costs at least a {@link #WARMUP_MIN_SIDE}-square SVD (see {@link #cost}). */
  static boolean needsWarmup(List<Double> costs) {
    double min = cost(new int[] {WARMUP_MIN_SIDE, WARMUP_MIN_SIDE}, 1);
    return costs.stream().anyMatch(c -> c >= min);
  }

  /**
   * Relative cost of {@code times} SVDs of an {@code rc[0] x rc[1]} matrix: {@code m n min(m, n)}, the order of
   * its flops (0 for a tensor that is not a matrix: it fails at once).
   */
  static double cost(int[] rc, long times) {
    return rc == null ? 0 : (double) times * rc[0] * rc[1] * Math.min(rc[0], rc[1]);
  }

  /**
   * Threads for an SVD that starts while {@code busy} tasks (its own included) run on {@code workers} workers: its
   * own plus the idle workers', at least 1.
   */
  static int svdThreads(int workers, int busy) {
    return Math.max(1, workers - Math.max(busy, 1) + 1);
  }

  /**
   * The order in which to start tasks of the given costs on {@code threads} workers: first the {@code threads}
   * cheapest, one per worker, then the others by decreasing cost. In a fresh JVM the first SVD runs tens of times
   * slower than later ones while the JIT compiles the kernels, so a cheap task should pay for that, not the
   * largest matrix (docs/design-notes.md, "analyze: task order"); after that, longest first leaves no big task
   * alone at the end. Ties keep file order.
   */
  static int[] schedule(List<Double> costs, int threads) {
    int n = costs.size();
    Integer[] byCost = new Integer[n];
    for (int i = 0; i < n; i++) {
      byCost[i] = i;
    }
    Arrays.sort(byCost, Comparator.comparingDouble(costs::get));
    int warm = Math.min(threads, n);
    Integer[] rest = Arrays.copyOfRange(byCost, warm, n);
    Arrays.sort(rest, Comparator.comparingDouble((Integer i) -> -costs.get(i)).thenComparingInt(i -> i));
    int[] order = new int[n];
    for (int i = 0; i < warm; i++) {
      order[i] = byCost[i];
    }
    for (int i = warm; i < n; i++) {
      order[i] = rest[i - warm];
    }
    return order;
  }

  private static Analyzer.Outcome get(Future<Analyzer.Outcome> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted", e);
    } catch (ExecutionException e) {
      // analyze() turns every exception into an error outcome; anything here is a bug (e.g. an Error).
      throw new IllegalStateException("a worker failed: " + e.getCause(), e.getCause());
    }
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static boolean matches(String name, List<Pattern> inc, List<Pattern> exc) {
    boolean in = inc.isEmpty() || inc.stream().anyMatch(p -> p.matcher(name).find());
    return in && exc.stream().noneMatch(p -> p.matcher(name).find());
  }

  private List<Pattern> patterns(List<String> list, String option) {
    List<Pattern> out = new ArrayList<>();
    for (String s : list) {
      try {
        out.add(Pattern.compile(s));
      } catch (PatternSyntaxException e) {
        throw new CliException(ExitCodes.INVALID_INPUT, option + ": invalid regex '" + s + "': "
            + e.getDescription(), e);
      }
    }
    return out;
  }

  static Chart parseChart(String s) {
    try {
      return Chart.fromId(s);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--chart must be ls, top, mle or hellinger, not '" + s + "'",
          e);
    }
  }

  /** A role label ({@code attn_o}, ...), case-insensitive. */
  static LayerRole parseRole(String s) {
    for (LayerRole r : LayerRole.values()) {
      if (r.label().equalsIgnoreCase(s)) {
        return r;
      }
    }
    throw new CliException(ExitCodes.INVALID_INPUT, "--chain-role must be a role label (" + String.join(", ",
        Arrays.stream(LayerRole.values()).map(LayerRole::label).toList()) + "), not '" + s + "'", null);
  }

  static SvdOptions.Method parseMethod(String s) {
    for (SvdOptions.Method m : SvdOptions.Method.values()) {
      if (m.name().equalsIgnoreCase(s)) {
        return m;
      }
    }
    throw new CliException(ExitCodes.INVALID_INPUT, "--svd must be fast, accurate or auto, not '" + s + "'", null);
  }

  /** {@code all}, {@code energy} or {@code lo:hi} (1-based, inclusive). */
  static RankWindow parseWindow(String s, double tau) {
    try {
      if (s.equalsIgnoreCase("all")) {
        return RankWindow.all();
      }
      if (s.equalsIgnoreCase("energy")) {
        return RankWindow.energy(tau);
      }
      int colon = s.indexOf(':');
      if (colon > 0) {
        return RankWindow.explicit(Integer.parseInt(s.substring(0, colon).trim()),
            Integer.parseInt(s.substring(colon + 1).trim()));
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--window '" + s + "': " + e.getMessage(), e);
    }
    throw new CliException(ExitCodes.INVALID_INPUT, "--window must be all, energy or lo:hi, not '" + s + "'", null);
  }
}
