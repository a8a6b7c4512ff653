package dev.cartan.core.chain;

import dev.cartan.core.ChartOptions;
import dev.cartan.kernels.linalg.SingularValueBounds;
import dev.cartan.kernels.svd.SvdOptions;

/**
 * Options of a chain analysis.
 *
 * @param charts chart options (clamp, rank window) used for every state
 * @param nearIdentity in factors mode, also report the near-identity expansion 8.13 of every factor (one
 *     symmetric eigen-decomposition per factor)
 * @param proxy free text the report carries about what the chain stands for (null means empty)
 * @param amplitudes how the interface amplitudes {@code a_l = log cond T_l} are computed (null means
 *     {@link Amplitudes#AUTO})
 * @param svd the SVD route of every state's (and every exact amplitude's) singular values (null means
 *     {@link SvdOptions.Method#AUTO})
 * @param threads 1: everything on the calling thread; 2: a second thread builds the states (factors mode), the
 *     interfaces, their amplitudes and the near-identity expansions while the calling thread computes the states'
 *     singular values. Every quantity is computed by the same single-threaded code from the same inputs either way,
 *     so the report (and any exception) is the same; only the wall time changes (docs/design-notes.md)
 */
public record ChainOptions(ChartOptions charts, boolean nearIdentity, String proxy, Amplitudes amplitudes,
    SvdOptions.Method svd, int threads) {
  /** Default charts, near-identity expansion on, no proxy note, {@link Amplitudes#AUTO}, SVD route AUTO, 1 thread. */
  public static final ChainOptions DEFAULTS =
      new ChainOptions(ChartOptions.DEFAULTS, true, "", Amplitudes.AUTO, SvdOptions.Method.AUTO, 1);

  /** Largest {@link #threads()}: the analysis has two independent streams of work (states' SVDs, the rest). */
  public static final int MAX_THREADS = 2;

  /**
   * Relative overestimate allowed for a certified amplitude: {@code a_l <= reported a_l <= a_l + AMPLITUDE_TOLERANCE
   * max(a_l, }{@link SingularValueBounds#A_FLOOR}{@code )}.
   */
  public static final double AMPLITUDE_TOLERANCE = 1e-3;

  /**
   * Smallest d at which {@link Amplitudes#AUTO} certifies: below it an interface's SVD costs about as much as the
   * certification, and exact amplitudes keep small test chains exact (docs/design-notes.md).
   */
  public static final int CERTIFIED_MIN_DIMENSION = 64;

  /** How the interface amplitudes are computed (THEORY.md 8.4; docs/theory.md "Certified amplitudes"). */
  public enum Amplitudes {
    /** From the singular values of each interface (one SVD per step): exact up to the SVD's rounding. */
    EXACT,
    /**
     * Certified upper bounds without an SVD ({@link SingularValueBounds}): {@code sigma_max} is an upper bound,
     * {@code sigma_min} a lower bound, so {@code a_l} is an upper bound within {@link #AMPLITUDE_TOLERANCE}; an
     * interface whose bounds cannot be certified (ill-conditioned for its Gram matrix) falls back to its SVD.
     */
    CERTIFIED,
    /** {@link #CERTIFIED} from d = {@link #CERTIFIED_MIN_DIMENSION} on, {@link #EXACT} below. */
    AUTO
  }

  /** Options without an amplitude or SVD choice: {@link Amplitudes#AUTO}, SVD route AUTO, 1 thread. */
  public ChainOptions(ChartOptions charts, boolean nearIdentity, String proxy) {
    this(charts, nearIdentity, proxy, Amplitudes.AUTO, SvdOptions.Method.AUTO, 1);
  }

  /** Options on 1 thread. */
  public ChainOptions(ChartOptions charts, boolean nearIdentity, String proxy, Amplitudes amplitudes,
      SvdOptions.Method svd) {
    this(charts, nearIdentity, proxy, amplitudes, svd, 1);
  }

  /**
   * Checks the chart options and the thread count; a null proxy becomes the empty string, null amplitudes and SVD
   * route AUTO.
   */
  public ChainOptions {
    if (charts == null) {
      throw new IllegalArgumentException("chart options are null");
    }
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("threads must be 1 or " + MAX_THREADS + ", got " + threads);
    }
    proxy = proxy == null ? "" : proxy;
    amplitudes = amplitudes == null ? Amplitudes.AUTO : amplitudes;
    svd = svd == null ? SvdOptions.Method.AUTO : svd;
  }

  /** These options with {@code nearIdentity} set. */
  public ChainOptions withNearIdentity(boolean on) {
    return new ChainOptions(charts, on, proxy, amplitudes, svd, threads);
  }

  /** These options with the proxy note set. */
  public ChainOptions withProxy(String note) {
    return new ChainOptions(charts, nearIdentity, note, amplitudes, svd, threads);
  }

  /** These options with the amplitude method set. */
  public ChainOptions withAmplitudes(Amplitudes method) {
    return new ChainOptions(charts, nearIdentity, proxy, method, svd, threads);
  }

  /** These options with the SVD route of the states (and of exact amplitudes) set. */
  public ChainOptions withSvd(SvdOptions.Method method) {
    return new ChainOptions(charts, nearIdentity, proxy, amplitudes, method, threads);
  }

  /**
   * These options with the thread count set ({@link #threads()}).
   *
   * @throws IllegalArgumentException if {@code n} is not 1 or {@link #MAX_THREADS}
   */
  public ChainOptions withThreads(int n) {
    return new ChainOptions(charts, nearIdentity, proxy, amplitudes, svd, n);
  }

  /**
   * The Lanczos iterations a certification of a {@code d x d} interface may spend before it gives up and the
   * interface's SVD is taken instead: {@code max(48, d / 8)} with the FAST SVD route, whose values-only SVD of a
   * 768 x 768 interface costs about as much as ~200 Lanczos iterations (one product with the Gram matrix each, read
   * from memory), so an interface that will not certify (ill-conditioned, or needing the whole Krylov space as a
   * Gaussian matrix does) wastes about half an SVD instead of one and a half;
   * {@link SingularValueBounds#MAX_ITERATIONS} with the Jacobi routes, whose SVD is 15-20x dearer
   * (docs/design-notes.md, "Lanczos budget by SVD route").
   */
  public int lanczosCap(int d) {
    if (svd != SvdOptions.Method.FAST) {
      return SingularValueBounds.MAX_ITERATIONS;
    }
    return Math.min(SingularValueBounds.MAX_ITERATIONS, Math.max(FAST_LANCZOS_MIN, d / 8));
  }

  /** The smallest Lanczos budget of {@link #lanczosCap} with the FAST route. */
  static final int FAST_LANCZOS_MIN = 48;

  /** Whether interfaces of size {@code d x d} get certified amplitudes under these options. */
  public boolean certifies(int d) {
    return amplitudes == Amplitudes.CERTIFIED || (amplitudes == Amplitudes.AUTO && d >= CERTIFIED_MIN_DIMENSION);
  }
}
