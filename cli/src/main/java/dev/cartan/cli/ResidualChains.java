package dev.cartan.cli;

import dev.cartan.cli.analyze.LayerName;
import dev.cartan.cli.io.TensorInfo;
import dev.cartan.cli.io.TensorSource;
import dev.cartan.core.chain.ChainMode;
import dev.cartan.core.chain.ChainOptions;
import dev.cartan.core.chain.ChainReport;
import dev.cartan.core.chain.Chains;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.svd.SvdOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The static residual proxy chain of THEORY.md section 8 built from a checkpoint's square residual-stream weights,
 * shared by {@code cartan chain --residual} and {@code cartan analyze}: factor {@code A_l = I + W_l} where
 * {@code W_l} is the weight as an operator on column vectors of the residual stream ({@code y = W_l x}).
 *
 * <p>Layouts: PyTorch {@code nn.Linear} (and GGUF, ONNX MatMul exports read as out x in) store {@code W} as out x
 * in, which is the operator. GPT-2's {@code Conv1D} stores in x out ({@code y = x W} on row vectors), so the
 * operator is the transpose; it is recognised by the GPT-2 naming scheme ({@link LayerName} family {@code gpt2}),
 * and the factor is then {@code I + W^T}. Transposing does not change the singular values of one factor, but it
 * changes every product, hence the states and the chain report.
 */
public final class ResidualChains {
  /** The report's proxy note: what the chain stands for and what it leaves out. */
  public static final String PROXY_NOTE = "static proxy: factors I + W_l from the residual-stream weights (no "
      + "nonlinearity, no normalization, no input dependence); not the network's Jacobian chain";

  private ResidualChains() {}

  /**
   * The factors of a residual proxy chain.
   *
   * @param names the tensor names, in chain order
   * @param factors {@code I + W_l} (or {@code I + W_l^T} when transposed), fresh matrices owned by the caller
   * @param transposed the weights are stored in x out (GPT-2 Conv1D) and were transposed
   */
  public record Factors(List<String> names, List<DMatrix> factors, boolean transposed) {}

  /**
   * Whether a tensor of this name stores its weight in x out, i.e. transposed with respect to the operator
   * ({@code y = W x}): GPT-2's {@code Conv1D} layers ({@code h.N.attn.c_proj}, ...).
   */
  public static boolean storedTransposed(String name, int rank) {
    return rank == 2 && LayerName.parse(name, rank).family().equals("gpt2");
  }

  /**
   * Reads the square weights {@code names} and builds the factors {@code I + W_l}.
   *
   * @throws IllegalArgumentException if the names mix layouts (some GPT-2 Conv1D, some not), or a tensor is not
   *     a square matrix; the message names the tensor
   * @throws IOException if a tensor cannot be read
   */
  public static Factors read(TensorSource src, List<String> names) throws IOException {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a residual chain needs at least one weight");
    }
    Boolean transposed = null;
    List<DMatrix> out = new ArrayList<>(names.size());
    for (String n : names) {
      TensorInfo info = src.info(n);
      boolean t = storedTransposed(n, info.rank());
      if (transposed != null && transposed != t) {
        throw new IllegalArgumentException("tensor " + n + " is stored " + (t ? "in x out (GPT-2 Conv1D)"
            : "out x in") + " but " + names.get(0) + " is not: a residual chain needs one layout");
      }
      transposed = t;
      DMatrix w = src.readDMatrix(n);
      if (w.rows() != w.cols()) {
        throw new IllegalArgumentException("tensor " + n + " is " + w.rows() + "x" + w.cols()
            + ": a residual factor I + W needs a square W");
      }
      DMatrix a = t ? w.transpose().copy() : w;
      for (int i = 0; i < a.rows(); i++) {
        a.set(i, i, a.get(i, i) + 1);
      }
      out.add(a);
    }
    return new Factors(List.copyOf(names), out, transposed);
  }

  /**
   * The chain report of the factors, in factors mode, flagged with {@link #PROXY_NOTE} (and the transposition).
   *
   * @param nearIdentity also compute the near-identity expansion 8.13 of every factor (one symmetric
   *     eigen-decomposition each)
   * @throws IllegalArgumentException from {@link Chains#analyze} (e.g. a singular factor), naming the tensor
   */
  public static ChainReport analyze(Factors f, boolean nearIdentity) {
    return analyze(f, nearIdentity, SvdOptions.Method.AUTO);
  }

  /** As {@link #analyze(Factors, boolean)}, the states' singular values by the SVD route {@code method}. */
  public static ChainReport analyze(Factors f, boolean nearIdentity, SvdOptions.Method method) {
    return analyze(f, nearIdentity, method, 1);
  }

  /** As {@link #analyze(Factors, boolean, SvdOptions.Method)} on {@code threads} threads ({@link ChainOptions}). */
  public static ChainReport analyze(Factors f, boolean nearIdentity, SvdOptions.Method method, int threads) {
    return Chains.analyze(f.factors(), f.names(), ChainMode.FACTORS,
        ChainOptions.DEFAULTS.withNearIdentity(nearIdentity).withProxy(note(f.transposed())).withSvd(method)
            .withThreads(threads));
  }

  /** The proxy note for a chain whose weights were (or were not) transposed. */
  public static String note(boolean transposed) {
    return transposed ? PROXY_NOTE + "; the weights are stored in x out (GPT-2 Conv1D), so the factors are "
        + "I + W_l^T" : PROXY_NOTE;
  }
}
