package dev.cartan.core.chain;

import dev.cartan.core.Chart;
import dev.cartan.core.ChartFit;
import dev.cartan.core.Charts;
import dev.cartan.core.Distances;
import dev.cartan.core.Orbit;
import dev.cartan.core.Spectrum;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.Kernels;
import dev.cartan.kernels.linalg.SingularValueBounds;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.svd.SvdOptions;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chain analysis of THEORY.md section 8: from layer factors (8.1) or states (8.2) to a {@link ChainReport}.
 *
 * <p>Driver: check the matrices (square, one size {@code d >= 2}, finite) -> build the states (factors: products
 * renormalized to {@code ||X||_F = sqrt(d)} after each step, the dropped scale kept as a log for the
 * submultiplicative slack; states: as given) -> spectrum of every state (SVD facade, values only) -> interfaces
 * (factors: {@code T_l = A_{l+1}}; states: {@code T_l = X_{l+1} X_l^{-1}} solved by LU with partial pivoting) and
 * their amplitudes, certified upper bounds of {@code log cond T_l} ({@link SingularValueBounds}) or from the SVD of
 * {@code T_l} ({@link ChainOptions.Amplitudes}) -> radial quantities 8.4-8.6 -> per chart 8.7-8.11 ->
 * near-identity expansion 8.13 of each factor.
 *
 * <p>Singular input is refused: a state (or factor) whose numerical rank is below d, named with its index, is an
 * {@link IllegalArgumentException}, since its interface has no finite amplitude. Cost per step: one SVD of a
 * {@code d x d} state (none for {@code X_0 = I} in factors mode), the interface's amplitude (certified: a Gram
 * matrix, two Cholesky factorizations and a few dozen matrix-vector products, about {@code 5 d^3 / 3} flops;
 * exact: a second SVD) and one product or LU solve, plus {@code O(d)} work per orbit evaluation.
 */
public final class Chains {
  private static final double REL_TOL = 1e-9;
  private static final double ABS_TOL = 1e-12;
  private static final double HYPOTHESIS_TOL = 1e-6;
  private static final int FISHER_GRID = 16;
  private static final int GOLDEN_ITERATIONS = 40;

  private Chains() {}

  /** The chain of the factors {@code A_1..A_L} (8.1) with {@link ChainOptions#DEFAULTS}; names may be null. */
  public static ChainReport ofFactors(List<DMatrix> factors, List<String> names) {
    return analyze(factors, names, ChainMode.FACTORS, ChainOptions.DEFAULTS);
  }

  /** The chain of the states {@code X_0..X_L} (8.2) with {@link ChainOptions#DEFAULTS}; names may be null. */
  public static ChainReport ofStates(List<DMatrix> states, List<String> names) {
    return analyze(states, names, ChainMode.STATES, ChainOptions.DEFAULTS);
  }

  /**
   * The chain report of {@code matrices} read as {@code mode} says.
   *
   * @param names one name per matrix (used in messages and the report), or null for {@code A_1..}/{@code X_0..}
   * @throws IllegalArgumentException if there are no matrices (factors) or fewer than two (states), a matrix is
   *     null, non-square, of another size than the first, smaller than 2 x 2, non-finite or singular; each message
   *     names the matrix
   */
  public static ChainReport analyze(List<DMatrix> matrices, List<String> names, ChainMode mode,
      ChainOptions options) {
    if (matrices == null || mode == null || options == null) {
      throw new IllegalArgumentException("matrices, mode and options must not be null");
    }
    int n = matrices.size();
    List<String> nm = names(matrices, names, mode);
    check(matrices, nm, mode);
    int d = matrices.get(0).rows();
    int steps = mode == ChainMode.FACTORS ? n : n - 1;

    Streams w = new Streams(matrices, nm, mode, options, d, steps);
    if (options.threads() == 1) {
      w.sequential();
    } else {
      w.overlapped();
    }
    DMatrix[] x = w.x;
    Spectrum[] sp = w.sp;
    String[] stateNames = w.stateNames;
    double[] a = w.a;
    double[] sMaxT = w.sMaxT;
    double[] sMinT = w.sMinT;

    // Radial quantities (8.4-8.6).
    double[] r = new double[steps + 1];
    for (int l = 0; l <= steps; l++) {
      r[l] = sp[l].topRadial();
    }
    double logM = 0;
    double path = 0;
    double sumLogSigma1 = 0;
    double maxRatio = 0;
    boolean oneStep = true;
    List<ChainReport.Interface> ifs = new ArrayList<>();
    for (int l = 0; l < steps; l++) {
      double dr = r[l + 1] - r[l];
      logM += a[l];
      path += Math.abs(dr);
      sumLogSigma1 += Math.log(sMaxT[l]);
      double ratio = ratio(Math.abs(dr), a[l]);
      maxRatio = Math.max(maxRatio, ratio);
      oneStep &= holds(Math.abs(dr), a[l]);
      ifs.add(new ChainReport.Interface(l, sMaxT[l], sMinT[l], a[l], dr, ratio));
    }
    double displacement = Math.abs(r[steps] - r[0]);
    double slack = Math.max(0, path - displacement);
    double logSigma1Product;
    if (mode == ChainMode.FACTORS) {
      double logProductScale = 0;
      for (double v : w.logScale) {
        logProductScale += v;
      }
      logSigma1Product = Math.log(sp[steps].spectralNorm()) + logProductScale;
    } else {
      logSigma1Product = w.logSigma1Total;
    }
    double subSlack = sumLogSigma1 - logSigma1Product;

    // The chart-dependent quantities, from the fits of every state and the per-step orbit terms.
    Chart[] charts = w.charts;
    ChartFit[][] fits = w.fits;
    w.throwStepError();
    List<ChainReport.State> states = new ArrayList<>();
    for (int l = 0; l <= steps; l++) {
      double[] s = new double[charts.length];
      for (int c = 0; c < charts.length; c++) {
        s[c] = fits[c][l].s();
      }
      states.add(new ChainReport.State(l, stateNames[l], r[l], cond(sp[l]), s));
    }
    double maxA = 0;
    for (double v : a) {
      maxA = Math.max(maxA, v);
    }
    List<ChainReport.ChartChain> chartChains = new ArrayList<>();
    for (int c = 0; c < charts.length; c++) {
      chartChains.add(chart(charts[c], fits[c], w.terms[c], w.hel, r, a, w.orbit, d, logM, slack, displacement, path,
          maxA));
    }

    if (w.nearError != null) {
      throw w.nearError;
    }
    List<NearIdentity.Expansion> near = w.near;
    return new ChainReport(mode.name().toLowerCase(java.util.Locale.ROOT), options.proxy(), d, steps, states, ifs,
        logM, Math.exp(logM / steps), path, displacement, slack, subSlack, oneStep, maxRatio, chartChains, near);
  }

  /**
   * The per-matrix work of a chain, in two streams: the states' singular values and chart fits (one SVD per state),
   * and the rest (factors mode: the products that build the states; every interface and its amplitude; states mode:
   * the SVD of {@code X_L X_0^{-1}}; factors mode: the near-identity expansions), then the per-step orbit terms of
   * every chart, which need the fits of two neighbouring states. Each piece is a fixed single-threaded computation
   * on fixed inputs, so running the second stream on another thread ({@link #overlapped}) gives the same numbers as
   * running everything in turn ({@link #sequential}); only the wall time changes.
   */
  private static final class Streams {
    final List<DMatrix> matrices;
    final List<String> nm;
    final ChainMode mode;
    final ChainOptions options;
    final int d;
    final int steps;
    final DMatrix[] x;
    final String[] stateNames;
    final Spectrum[] sp;
    final Chart[] charts = Chart.values();
    final Orbit orbit;
    /** {@code fits[c][l]}: chart c on state l. */
    final ChartFit[][] fits;
    /** {@code terms[c][l]}: chart c's orbit terms of step l. */
    final StepTerms[][] terms;
    /** Hellinger distance between the energies of states l and l + 1 (chart-free). */
    final double[] hel;
    /** A step's failure, kept so that the first step's is thrown whichever thread computed which step. */
    final RuntimeException[] stepError;
    /** Factors mode: the log of the scale dropped from each product (its sum is the product's log scale). */
    final double[] logScale;
    final double[] a;
    final double[] sMaxT;
    final double[] sMinT;
    /** States mode: {@code log sigma_1(X_L X_0^{-1})}. */
    double logSigma1Total;
    List<NearIdentity.Expansion> near = List.of();
    /** The near-identity expansion's failure, rethrown where the sequential analysis would throw it. */
    RuntimeException nearError;
    /** The certification's arrays, reused from one interface to the next (amplitudes run on one thread). */
    final SingularValueBounds.Workspace certifyWork = new SingularValueBounds.Workspace();
    /** Next step whose orbit terms nobody has claimed yet. */
    final AtomicInteger nextStep = new AtomicInteger();
    /** Set by the calling thread when it gives up: the second stream stops at its next piece. */
    volatile boolean cancelled;

    Streams(List<DMatrix> matrices, List<String> nm, ChainMode mode, ChainOptions options, int d, int steps) {
      this.matrices = matrices;
      this.nm = nm;
      this.mode = mode;
      this.options = options;
      this.d = d;
      this.steps = steps;
      x = new DMatrix[steps + 1];
      stateNames = new String[steps + 1];
      sp = new Spectrum[steps + 1];
      orbit = Orbit.of(d);
      fits = new ChartFit[charts.length][steps + 1];
      terms = new StepTerms[charts.length][steps];
      hel = new double[steps];
      stepError = new RuntimeException[steps];
      logScale = new double[mode == ChainMode.FACTORS ? steps : 0];
      a = new double[steps];
      sMaxT = new double[steps];
      sMinT = new double[steps];
      if (mode == ChainMode.FACTORS) {
        x[0] = DMatrix.identity(d);
        stateNames[0] = "I";
        for (int l = 0; l < steps; l++) {
          stateNames[l + 1] = nm.get(l) + " ... " + nm.get(0);
        }
      } else {
        for (int l = 0; l <= steps; l++) {
          x[l] = matrices.get(l);
          stateNames[l] = nm.get(l);
        }
      }
    }

    /** Everything on the calling thread, in the order the exceptions are documented in. */
    void sequential() {
      if (mode == ChainMode.FACTORS) {
        for (int l = 0; l < steps; l++) {
          product(l);
        }
      }
      for (int l = 0; l <= steps; l++) {
        spectrum(l);
      }
      amplitudes();
      afterAmplitudes();
      for (int l = 0; l < steps; l++) {
        stepTerms(l);
      }
    }

    /** Factors mode: {@code X_{l+1} = A_{l+1} X_l}, renormalized to {@code ||X||_F = sqrt(d)}. */
    void product(int l) {
      DMatrix next = Gemm.multiply(matrices.get(l), x[l]);
      double scale = next.frobeniusNorm() / Math.sqrt(d);
      if (!(scale > 0) || !Double.isFinite(scale)) {
        throw new IllegalArgumentException("the product up to factor " + nm.get(l) + " (index " + l
            + ") is zero or overflows");
      }
      scaleInPlace(next, 1 / scale);
      logScale[l] = Math.log(scale);
      x[l + 1] = next;
    }

    /**
     * The spectrum of state l and its chart fits; a singular state would give an infinite amplitude, so it is
     * refused by name.
     */
    void spectrum(int l) {
      Spectrum s = Spectrum.ofSingularValues(l == 0 && mode == ChainMode.FACTORS ? ones(d) : values(x[l], options));
      if (mode == ChainMode.STATES && s.isRankDeficient()) {
        throw new IllegalArgumentException("state " + stateNames[l] + " (index " + l + ") is singular: numerical "
            + "rank " + s.numericalRank() + " < d = " + d + " (cond = " + cond(s) + ")");
      }
      sp[l] = s;
      for (int c = 0; c < charts.length; c++) {
        fits[c][l] = Charts.fit(s, charts[c], options.charts());
      }
    }

    /** Interface l (factors: {@code A_{l+1}}; states: {@code X_{l+1} X_l^{-1}}) and its amplitude (8.4). */
    void amplitude(int l) {
      DMatrix t;
      String tName;
      if (mode == ChainMode.FACTORS) {
        t = matrices.get(l);
        tName = "factor " + nm.get(l) + " (index " + l + ")";
      } else {
        tName = "state " + stateNames[l] + " (index " + l + ")";
        t = Lu.rightDivide(x[l + 1], x[l], tName);
      }
      double[] amp = Chains.amplitude(t, l, tName, options, certifyWork);
      sMaxT[l] = amp[0];
      sMinT[l] = amp[1];
      a[l] = amp[2];
    }

    void amplitudes() {
      for (int l = 0; l < steps && !cancelled; l++) {
        amplitude(l);
      }
    }

    /**
     * States mode: {@code log sigma_1} of the whole chain's interface; factors mode: the near-identity expansion 8.13
     * of every factor but an exact identity (a failure is kept, not thrown).
     */
    void afterAmplitudes() {
      if (mode == ChainMode.STATES) {
        DMatrix total = Lu.rightDivide(x[steps], x[0], "state " + stateNames[0] + " (index 0)");
        logSigma1Total = Math.log(values(total, options)[0]);
      } else if (options.nearIdentity()) {
        List<NearIdentity.Expansion> out = new ArrayList<>();
        try {
          for (int l = 0; l < steps && !cancelled; l++) {
            if (!isIdentity(matrices.get(l))) {
              out.add(NearIdentity.expand(nm.get(l), matrices.get(l)));
            }
          }
        } catch (RuntimeException e) {
          nearError = e;
        }
        near = out;
      }
    }

    /** The orbit terms of step l for every chart, from the fits of states l and l + 1. */
    void stepTerms(int l) {
      try {
        for (int c = 0; c < charts.length; c++) {
          terms[c][l] = StepTerms.of(orbit, fits[c][l].s(), fits[c][l + 1].s());
        }
        hel[l] = Distances.hellinger(sp[l].energies(), sp[l + 1].energies());
      } catch (RuntimeException e) {
        stepError[l] = e;
      }
    }

    /** Throws the first step's failure, if any. */
    void throwStepError() {
      for (RuntimeException e : stepError) {
        if (e != null) {
          throw e;
        }
      }
    }

    /**
     * Both streams at once: a second thread runs the products (each state is published as soon as it exists), the
     * amplitudes and what follows them, then helps with the steps' orbit terms as the spectra arrive, while this
     * thread computes the spectra in order and then the steps nobody has claimed. Exceptions come out in the
     * sequential order: a product's when its state is needed (before any amplitude), a singular state's from this
     * thread's loop, then the first amplitude's, the first step's; the near-identity one is kept for later.
     */
    void overlapped() {
      List<CompletableFuture<Void>> stateReady = new ArrayList<>();
      List<CompletableFuture<Void>> spectrumReady = new ArrayList<>();
      for (int l = 0; l <= steps; l++) {
        stateReady.add(mode == ChainMode.FACTORS && l > 0 ? new CompletableFuture<>()
            : CompletableFuture.completedFuture(null));
        spectrumReady.add(new CompletableFuture<>());
      }
      CompletableFuture<Void> amplitudesDone = new CompletableFuture<>();
      ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cartan-chain");
        t.setDaemon(true);
        return t;
      });
      try {
        Future<?> side = pool.submit(() -> {
          if (mode == ChainMode.FACTORS) {
            for (int l = 0; l < steps && !cancelled; l++) {
              try {
                product(l);
              } catch (RuntimeException | Error e) {
                for (int k = l + 1; k <= steps; k++) {
                  stateReady.get(k).completeExceptionally(e);
                }
                amplitudesDone.completeExceptionally(e);
                throw e;
              }
              stateReady.get(l + 1).complete(null);
            }
          }
          try {
            amplitudes();
          } catch (RuntimeException | Error e) {
            amplitudesDone.completeExceptionally(e);
            throw e;
          }
          amplitudesDone.complete(null);
          afterAmplitudes();
          claimSteps(spectrumReady);
          return null;
        });
        for (int l = 0; l <= steps; l++) {
          await(stateReady.get(l));
          spectrum(l);
          spectrumReady.get(l).complete(null);
        }
        await(amplitudesDone);
        claimSteps(spectrumReady);
        await(side);
      } finally {
        cancelled = true;
        for (CompletableFuture<Void> f : spectrumReady) {
          f.completeExceptionally(new CancellationException("chain analysis stopped"));
        }
        pool.shutdown();
      }
    }

    /** Computes the orbit terms of unclaimed steps, in order, each once its two states' fits exist. */
    private void claimSteps(List<CompletableFuture<Void>> spectrumReady) {
      for (int l = nextStep.getAndIncrement(); l < steps && !cancelled; l = nextStep.getAndIncrement()) {
        await(spectrumReady.get(l + 1));
        stepTerms(l);
      }
    }

    /** Waits for {@code f}; its failure is rethrown as it was thrown on the other thread. */
    private static void await(Future<?> f) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("chain analysis interrupted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException re) {
          throw re;
        }
        if (c instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("chain analysis failed on its second thread", c);
      }
    }
  }

  /**
   * {@code {sigma_max, sigma_min, a}} of the interface T: certified bounds (an upper bound on {@code sigma_max}, a
   * lower one on {@code sigma_min}, so an upper bound on {@code a = log cond T}) when the options ask for them and
   * they can be certified, else from the SVD of T.
   *
   * @throws IllegalArgumentException if T is numerically singular (named {@code tName})
   */
  private static double[] amplitude(DMatrix t, int l, String tName, ChainOptions options,
      SingularValueBounds.Workspace ws) {
    int d = t.rows();
    if (options.certifies(d)) {
      SingularValueBounds.Result b = SingularValueBounds.certify(t, ChainOptions.AMPLITUDE_TOLERANCE, ws,
          options.lanczosCap(d));
      if (b.certified()) {
        return new double[] {b.sigmaMaxUpper(), b.sigmaMinLower(), b.logConditionUpper()};
      }
    }
    double[] sv = values(t, options);
    if (!(sv[d - 1] > d * Math.ulp(1.0) * sv[0])) {
      throw new IllegalArgumentException(tName + " is singular: interface T_" + l + " has condition number "
          + (sv[d - 1] > 0 ? sv[0] / sv[d - 1] : "infinite"));
    }
    return new double[] {sv[0], sv[d - 1], Math.log(sv[0]) - Math.log(sv[d - 1])};
  }

  /** The singular values of {@code m} by the options' SVD route. */
  private static double[] values(DMatrix m, ChainOptions options) {
    return Svd.decompose(m, SvdOptions.valuesOnly().withMethod(options.svd())).values();
  }

  private static double[] ones(int d) {
    double[] o = new double[d];
    Arrays.fill(o, 1.0);
    return o;
  }

  /**
   * The per-step quantities of one chart that depend only on the fits of states l and l + 1: the orbit's Hellinger
   * distance, its Fisher-Rao length, the range of the Fisher information between the two exponents, the Fisher
   * information at the first and the KL divergence (quadratures and searches of {@code O(d)} evaluations each, the
   * costly part of {@link #chart}).
   */
  private record StepTerms(double helOrbit, double ell, double fisherMin, double fisherMax, double fisher0,
      double kl) {
    static StepTerms of(Orbit orbit, double s0, double s1) {
      double[] p0 = orbit.energies(s0);
      double[] p1 = orbit.energies(s1);
      double ell = s1 == s0 ? 0 : orbit.fisherRaoLength(s0, s1).value();
      double[] range = fisherRange(orbit, Math.min(s0, s1), Math.max(s0, s1));
      return new StepTerms(Distances.hellinger(p0, p1), ell, range[0], range[1], orbit.fisher(s0),
          orbit.kl(s0, s1));
    }
  }

  private static ChainReport.ChartChain chart(Chart chart, ChartFit[] f, StepTerms[] terms, double[] hel,
      double[] r, double[] a, Orbit orbit, int d, double logM, double slack, double displacement, double radialPath,
      double maxA) {
    int steps = a.length;
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    boolean clamped = false;
    double[] rho = new double[steps + 1];
    double[] e = new double[steps + 1];
    for (int l = 0; l <= steps; l++) {
      lo = Math.min(lo, f[l].s());
      hi = Math.max(hi, f[l].s());
      clamped |= f[l].clamped();
      rho[l] = f[l].topResidual();
      e[l] = f[l].hellingerResidual();
    }
    double m = orbit.phiPrime(hi);
    List<ChainReport.ChartStep> out = new ArrayList<>();
    boolean stepsHold = true;
    double maxStepRatio = 0;
    double sumAbsDs = 0;
    double sumMiddle = 0;
    double sumAbsDrho = 0;
    double maxDrift = 0;
    double hVar = 0;
    double fisher = 0;
    double kl = 0;
    double klLo = 0;
    double klHi = 0;
    double bures = 0;
    double cubic = 0;
    double sumSq = 0;
    for (int l = 0; l < steps; l++) {
      double s0 = f[l].s();
      double s1 = f[l + 1].s();
      double ds = s1 - s0;
      double dRho = rho[l + 1] - rho[l];
      double dr = r[l + 1] - r[l];
      double obs = Math.abs(ds);
      double mid = Math.abs(dr - dRho) / m;
      double bound = (a[l] + Math.abs(dRho)) / m;
      stepsHold &= holds(obs, mid) && holds(mid, bound);
      double ratio = ratio(obs, bound);
      maxStepRatio = Math.max(maxStepRatio, ratio);
      StepTerms t = terms[l];
      double helOrbit = t.helOrbit();
      double[] range = {t.fisherMin(), t.fisherMax()};
      double fa = t.fisher0() * ds * ds;
      double klStep = t.kl();
      double bw = 2.0 * d * helOrbit * helOrbit;
      out.add(new ChainReport.ChartStep(l, ds, dRho, obs, mid, bound, ratio, hel[l], helOrbit,
          e[l] + e[l + 1] + helOrbit, t.ell() / (2 * Math.sqrt(2)), Math.sqrt(range[1]) * obs / (2 * Math.sqrt(2)), fa,
          klStep, 0.5 * range[0] * ds * ds, 0.5 * range[1] * ds * ds, bw));
      sumAbsDs += obs;
      sumMiddle += Math.abs(dr - dRho);
      sumAbsDrho += Math.abs(dRho);
      maxDrift = Math.max(maxDrift, obs);
      hVar += Math.abs(e[l + 1] - e[l]);
      fisher += fa;
      kl += klStep;
      klLo += 0.5 * range[0] * ds * ds;
      klHi += 0.5 * range[1] * ds * ds;
      bures += bw;
      cubic += obs * obs * obs;
      sumSq += ds * ds;
    }
    double chainObserved = m * sumAbsDs;
    double chainBound = displacement + slack + sumAbsDrho;
    boolean chainHolds = holds(chainObserved, sumMiddle) && holds(sumMiddle, chainBound);
    boolean uniform = maxA <= (logM / steps) * (1 + HYPOTHESIS_TOL) + ABS_TOL;
    boolean zeroSlack = slack <= HYPOTHESIS_TOL * radialPath + ABS_TOL;
    boolean exact = sumAbsDrho <= HYPOTHESIS_TOL * radialPath + ABS_TOL;
    return new ChainReport.ChartChain(chart.id(), lo, hi, m, clamped, rho, e, out, stepsHold, maxStepRatio,
        chainObserved, sumMiddle, chainBound, ratio(chainObserved, chainBound), chainHolds, sumAbsDrho,
        (logM + sumAbsDrho) / m, logM / (m * steps), maxDrift, sumAbsDs / steps, (logM + sumAbsDrho) / (m * steps),
        new ChainReport.BudgetHypotheses(uniform, zeroSlack, exact, uniform && zeroSlack && exact), hVar,
        Math.sqrt(2.0 * d) * hVar, fisher, kl, klLo, klHi, bures, 0.25 * d * fisher, cubic, sumAbsDs * sumAbsDs,
        steps * sumSq);
  }

  /**
   * {min I, max I} over {@code [lo, hi]}: a grid of {@link #FISHER_GRID} cells, then golden-section refinement of
   * the best grid point's neighbourhood ({@code I} is smooth with few extrema on the orbit).
   */
  static double[] fisherRange(Orbit orbit, double lo, double hi) {
    double i0 = orbit.fisher(lo);
    if (hi - lo <= 0) {
      return new double[] {i0, i0};
    }
    double h = (hi - lo) / FISHER_GRID;
    int argMin = 0;
    int argMax = 0;
    double min = i0;
    double max = i0;
    for (int k = 1; k <= FISHER_GRID; k++) {
      double v = orbit.fisher(k == FISHER_GRID ? hi : lo + k * h);
      if (v < min) {
        min = v;
        argMin = k;
      }
      if (v > max) {
        max = v;
        argMax = k;
      }
    }
    min = Math.min(min, golden(orbit, lo, hi, h, argMin, -1));
    max = Math.max(max, golden(orbit, lo, hi, h, argMax, 1));
    return new double[] {min, max};
  }

  /** Golden-section search for the extremum of {@code sign * I} in the two cells around grid point k. */
  private static double golden(Orbit orbit, double lo, double hi, double h, int k, int sign) {
    double x0 = Math.max(lo, lo + (k - 1) * h);
    double x1 = Math.min(hi, lo + (k + 1) * h);
    double g = 0.5 * (Math.sqrt(5) - 1);
    double c = x1 - g * (x1 - x0);
    double dd = x0 + g * (x1 - x0);
    double fc = sign * orbit.fisher(c);
    double fd = sign * orbit.fisher(dd);
    for (int it = 0; it < GOLDEN_ITERATIONS; it++) {
      if (fc > fd) {
        x1 = dd;
        dd = c;
        fd = fc;
        c = x1 - g * (x1 - x0);
        fc = sign * orbit.fisher(c);
      } else {
        x0 = c;
        c = dd;
        fc = fd;
        dd = x0 + g * (x1 - x0);
        fd = sign * orbit.fisher(dd);
      }
    }
    return sign * Math.max(fc, fd);
  }

  static boolean holds(double observed, double bound) {
    return observed <= bound * (1 + REL_TOL) + ABS_TOL;
  }

  static double ratio(double observed, double bound) {
    if (bound > 0) {
      return observed / bound;
    }
    return observed <= ABS_TOL ? 0 : observed / ABS_TOL;
  }

  private static double cond(Spectrum s) {
    double[] sig = s.sigma();
    double last = sig[sig.length - 1];
    return last > 0 ? sig[0] / last : Double.MAX_VALUE;
  }

  private static boolean isIdentity(DMatrix a) {
    for (int j = 0; j < a.cols(); j++) {
      for (int i = 0; i < a.rows(); i++) {
        if (a.get(i, j) != (i == j ? 1 : 0)) {
          return false;
        }
      }
    }
    return true;
  }

  private static void scaleInPlace(DMatrix m, double f) {
    if (!m.isTransposed() && m.ld() == m.rows()) {
      // A fresh product: one contiguous run, scaled by the SIMD kernel (the same products f * x_ij).
      Kernels.scal(m.rows() * m.cols(), f, m.data(), m.index(0, 0));
      return;
    }
    for (int j = 0; j < m.cols(); j++) {
      for (int i = 0; i < m.rows(); i++) {
        m.set(i, j, m.get(i, j) * f);
      }
    }
  }

  private static List<String> names(List<DMatrix> matrices, List<String> names, ChainMode mode) {
    if (names != null && names.size() != matrices.size()) {
      throw new IllegalArgumentException(names.size() + " names for " + matrices.size() + " matrices");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < matrices.size(); i++) {
      out.add(names != null && names.get(i) != null ? names.get(i)
          : (mode == ChainMode.FACTORS ? "A_" + (i + 1) : "X_" + i));
    }
    return out;
  }

  private static void check(List<DMatrix> m, List<String> nm, ChainMode mode) {
    int need = mode == ChainMode.FACTORS ? 1 : 2;
    if (m.size() < need) {
      throw new IllegalArgumentException("a chain of " + mode.name().toLowerCase(java.util.Locale.ROOT) + " needs at least "
          + need + " matrices, got " + m.size());
    }
    DMatrix first = m.get(0);
    for (int i = 0; i < m.size(); i++) {
      DMatrix x = m.get(i);
      String what = (mode == ChainMode.FACTORS ? "factor " : "state ") + nm.get(i) + " (index " + i + ")";
      if (x == null) {
        throw new IllegalArgumentException(what + " is null");
      }
      if (x.rows() != x.cols()) {
        throw new IllegalArgumentException(what + " is not square: " + x.rows() + "x" + x.cols());
      }
      if (x.rows() < 2) {
        throw new IllegalArgumentException(what + " is " + x.rows() + "x" + x.cols() + ": a chain needs d >= 2");
      }
      if (x.rows() != first.rows()) {
        throw new IllegalArgumentException(what + " is " + x.rows() + "x" + x.cols() + " but the chain's first matrix is "
            + first.rows() + "x" + first.cols());
      }
      x.requireFinite(what);
    }
  }
}
