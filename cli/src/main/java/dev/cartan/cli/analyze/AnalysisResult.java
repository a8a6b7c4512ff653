package dev.cartan.cli.analyze;

import dev.cartan.core.LayerReport;
import dev.cartan.core.chain.ChainReport;
import java.util.List;

/**
 * The result of {@code cartan analyze}, serialized as the JSON output (documented field by field in
 * docs/output.md). Plain records with no cycles; {@link #SCHEMA_VERSION} changes whenever a field is renamed,
 * removed or changes meaning (adding fields keeps it).
 *
 * @param schemaVersion the version of this layout, {@link #SCHEMA_VERSION}
 * @param runtime what ran the analysis
 * @param settings the options in effect
 * @param inputs the paths given, with the format each was opened as
 * @param matrices one entry per analyzed matrix (fused matrices give one per part, conv slices one per slice), in
 *     file order, then part/slice order
 * @param errors tensors (or whole inputs) that could not be read or analyzed; the others are in {@code matrices}
 * @param skipped number of tensors that are not matrices (rank 0 or 1) or were filtered out by include/exclude
 * @param profiles per role, the exponent profile over depth with adjacent drift and distances (THEORY.md 9)
 * @param chains the static residual proxy chains (THEORY.md 8) of the square residual-stream weights of the chain
 *     role, one per depth-ordered group; empty with {@code --no-chain} or when there is no such group
 * @param warnings run-level warnings (non-finite values, unconverged SVDs, refused tensors)
 */
public record AnalysisResult(
    int schemaVersion,
    Runtime runtime,
    Settings settings,
    List<Input> inputs,
    List<MatrixEntry> matrices,
    List<ErrorEntry> errors,
    int skipped,
    List<RoleProfile> profiles,
    List<ChainEntry> chains,
    List<String> warnings) {

  /** Current schema version of the JSON output (2: {@code chains} and the chain settings). */
  public static final int SCHEMA_VERSION = 2;

  /**
   * What ran the analysis.
   *
   * @param cartanVersion Cartan's version
   * @param provider kernel provider name ({@code scalar} or {@code simd})
   * @param species the provider's vector species
   * @param jdk {@code java.version}
   * @param cores available processors
   * @param threads worker threads used
   * @param wallSeconds elapsed time of the whole run
   */
  public record Runtime(String cartanVersion, String provider, String species, String jdk, int cores, int threads,
      double wallSeconds) {}

  /**
   * The options in effect.
   *
   * @param chart the chart whose exponent the profiles use ({@code ls}, {@code top}, {@code mle}, {@code hellinger})
   * @param window the rank window ({@code all}, {@code lo:hi} or {@code energy})
   * @param tau energy quantile of k_eff and of the energy window
   * @param precision {@code f32} or {@code f64}
   * @param svd SVD method asked for ({@code fast}, {@code accurate}, {@code auto})
   * @param conv convolution handling ({@code flatten} or {@code slices})
   * @param classic whether the section-10 metrics were computed
   * @param include include patterns (regex, find semantics)
   * @param exclude exclude patterns
   * @param chain whether the residual proxy chains were asked for ({@code --chain}/{@code --no-chain})
   * @param chainRole the role whose square matrices make the chains ({@code --chain-role})
   */
  public record Settings(String chart, String window, double tau, String precision, String svd, String conv,
      boolean classic, List<String> include, List<String> exclude, boolean chain, String chainRole) {}

  /**
   * One path given on the command line.
   *
   * @param path the path
   * @param format the format it was opened as, or null if it could not be opened
   * @param tensors tensors listed in it (readable or refused)
   */
  public record Input(String path, String format, int tensors) {}

  /**
   * The SVD diagnostics of one matrix.
   *
   * @param method algorithm that ran (e.g. {@code jacobi})
   * @param precision the precision the matrix was read in ({@code f32} or {@code f64})
   * @param sweeps sweeps or iterations used
   * @param residual largest remaining off-diagonal measure at exit
   * @param converged false if an iteration cap was hit
   */
  public record SvdInfo(String method, String precision, int sweeps, double residual, boolean converged) {}

  /**
   * Times of one tensor's work in milliseconds: reading it (shared by its parts/slices), the SVD of this matrix and
   * the report of this matrix.
   */
  public record Timings(double readMs, double svdMs, double reportMs) {}

  /**
   * One analyzed matrix.
   *
   * @param index position in the output (0-based)
   * @param file the file holding the tensor
   * @param tensor the tensor name as stored
   * @param part for a fused matrix split by shape, the part's role ({@code attn_q}, ...); null otherwise
   * @param slice for {@code --conv slices}, the spatial position ({@code "h,w"} or {@code "k"}); null otherwise
   * @param role the role label (the part's role for a split matrix)
   * @param depth block index parsed from the name, or -1
   * @param family naming scheme that matched, or {@code unknown}
   * @param dtype stored element type
   * @param shape stored shape
   * @param rows rows of the analyzed matrix
   * @param cols columns of the analyzed matrix
   * @param svd SVD diagnostics
   * @param timings timings
   * @param report every number of THEORY.md sections 1, 2, 5, 7 and 10 (classic null with {@code --no-classic})
   * @param warnings warnings about this matrix
   */
  public record MatrixEntry(int index, String file, String tensor, String part, String slice, String role, int depth,
      String family, String dtype, long[] shape, int rows, int cols, SvdInfo svd, Timings timings,
      LayerReport report, List<String> warnings) {

    /** The tensor name with its part or slice, e.g. {@code h.0.attn.c_attn.weight[attn_q]}. */
    public String label() {
      return tensor + (part == null ? "" : "[" + part + "]") + (slice == null ? "" : "[" + slice + "]");
    }
  }

  /**
   * A tensor (or a whole input, with a null tensor) that could not be read or analyzed.
   *
   * @param file the file or input path
   * @param tensor the tensor name, or null when the whole input failed
   * @param reason what went wrong
   */
  public record ErrorEntry(String file, String tensor, String reason) {}

  /**
   * The profile of one role over depth (THEORY.md section 9).
   *
   * @param role role label
   * @param chart the chart of {@code s}
   * @param points the role's matrices ordered by depth (names without a depth keep file order, after the others)
   */
  public record RoleProfile(String role, String chart, List<ProfilePoint> points) {}

  /**
   * One point of a role profile.
   *
   * @param index the {@link MatrixEntry#index()} it comes from
   * @param label tensor name with part/slice
   * @param depth block index or -1
   * @param dimension d = min(m, n)
   * @param s the chart's exponent
   * @param topRadial r
   * @param kEff k_eff(tau)
   * @param entropyRank exp(entropy)
   * @param hellingerResidual the chart's Hellinger residual to its orbit point
   * @param drift {@code |s - s_previous|}; null for the first point
   * @param hellinger Hellinger distance of the energy spectra to the previous point; null for the first point or
   *     when d differs
   * @param buresWasserstein spectral Bures-Wasserstein distance to the previous point ({@code sqrt(2d) Hel}); null
   *     as {@code hellinger}
   */
  public record ProfilePoint(int index, String label, int depth, int dimension, double s, double topRadial, int kEff,
      double entropyRank, double hellingerResidual, Double drift, Double hellinger, Double buresWasserstein) {}

  /**
   * One static residual proxy chain (THEORY.md section 8 on factors {@code I + W_l}): the square matrices of one
   * role, one input and one naming template, ordered by depth.
   *
   * @param role the role label (e.g. {@code attn_o})
   * @param input the input path the tensors come from
   * @param group the tensor names with every digit run replaced by {@code #}, e.g. {@code h.#.attn.c_proj.weight}
   * @param family the naming scheme of the tensors
   * @param transposed the weights are stored in x out (GPT-2 Conv1D), so the factors are {@code I + W_l^T}
   * @param staticProxy always true: the chain is a static proxy of the network's Jacobian chain (no
   *     nonlinearity, normalization or input), which {@code report.proxy} spells out
   * @param dimension d
   * @param tensors the tensor names in chain order
   * @param depths their depths
   * @param indices their {@link MatrixEntry#index()}
   * @param seconds wall time to read the tensors and compute the report
   * @param cpuSeconds CPU time of the thread that did it (the chain runs on one thread), or -1 if the JVM cannot
   *     measure thread CPU time
   * @param report the chain report, or null when it could not be computed (then a warning says why)
   * @param warnings this chain's warnings
   */
  public record ChainEntry(String role, String input, String group, String family, boolean transposed,
      boolean staticProxy, int dimension, List<String> tensors, List<Integer> depths, List<Integer> indices,
      double seconds, double cpuSeconds, ChainReport report, List<String> warnings) {}
}
