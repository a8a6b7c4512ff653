package dev.cartan.cli.analyze;

import dev.cartan.cli.analyze.AnalysisResult.ErrorEntry;
import dev.cartan.cli.analyze.AnalysisResult.MatrixEntry;
import dev.cartan.cli.analyze.AnalysisResult.SvdInfo;
import dev.cartan.cli.analyze.AnalysisResult.Timings;
import dev.cartan.cli.io.TensorInfo;
import dev.cartan.cli.io.TensorSource;
import dev.cartan.core.LayerReport;
import dev.cartan.core.ReportOptions;
import dev.cartan.core.Spectrum;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.svd.FloatSvdResult;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.svd.SvdOptions;
import dev.cartan.kernels.svd.SvdResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The analysis of one tensor of a checkpoint: reads it (inside the worker, so only the tensors in flight occupy
 * memory), splits it into the matrices to analyze (fused parts by shape, conv slices on request), and computes
 * each matrix's SVD and {@link LayerReport}. Stateless apart from its settings, safe to share between threads.
 */
final class Analyzer {
  /** How rank &gt;= 3 tensors (convolution kernels) become matrices. */
  enum Conv {
    /** out x (in h w), the matrix view of the reader. */
    flatten,
    /** One out x in matrix per spatial position, as WeightWatcher does. */
    slices
  }

  /** Precision in which tensors are read and decomposed. */
  enum Precision {
    f32,
    f64
  }

  private final ReportOptions report;
  private final SvdOptions svd;
  private final Precision precision;
  private final Conv conv;
  private final boolean classic;

  /**
   * Threads each SVD may use, asked when it starts: the workers left idle by the other tasks in flight plus its
   * own (so a lone large matrix, or the last ones of a run, use the idle cores inside the SVD).
   */
  private final IntSupplier svdThreads;

  Analyzer(ReportOptions report, SvdOptions.Method method, Precision precision, Conv conv, boolean classic,
      IntSupplier svdThreads) {
    this.report = report;
    this.svd = SvdOptions.valuesOnly().withMethod(method);
    this.precision = precision;
    this.conv = conv;
    this.classic = classic;
    this.svdThreads = svdThreads;
  }

  /** The precision matrices are read and decomposed in. */
  Precision precision() {
    return precision;
  }

  /** The SVD route every matrix is decomposed with (the chain section uses the same). */
  SvdOptions.Method method() {
    return svd.method();
  }

  /** What one tensor produced: its matrices with their spectra (for profiles and plots), or an error. */
  record Outcome(List<MatrixEntry> entries, List<Spectrum> spectra, ErrorEntry error) {}

  /** A matrix to decompose: its part/slice labels and a way to build it from the loaded data. */
  private record Piece(String part, String slice, String role, int rows, int cols, int row, int col, int slice0) {}

  /**
   * Analyzes one tensor. Never throws for bad data: an unreadable or unanalyzable tensor becomes an error outcome.
   * Entries carry index -1; the caller numbers them in output order.
   */
  Outcome analyze(TensorSource source, TensorInfo info, LayerName name) {
    String file = String.valueOf(info.file());
    try {
      int[] rc = info.matrixShape();
      if (rc == null) {
        return error(file, info.name(), "not a matrix: shape " + java.util.Arrays.toString(info.shape()));
      }
      List<Piece> pieces = pieces(info, name, rc);
      long t0 = System.nanoTime();
      Object data = precision == Precision.f64 ? source.readDouble(info.name()) : source.readFloat(info.name());
      double readMs = (System.nanoTime() - t0) / 1e6;
      List<MatrixEntry> entries = new ArrayList<>(pieces.size());
      List<Spectrum> spectra = new ArrayList<>(pieces.size());
      for (Piece p : pieces) {
        long t1 = System.nanoTime();
        double[] values;
        SvdInfo diag;
        SvdOptions opts = svd.withThreads(Math.max(1, svdThreads.getAsInt()));
        if (data instanceof double[] d) {
          SvdResult r = Svd.decompose(transposedPiece(d, rc, p), opts);
          values = r.values();
          diag = new SvdInfo(r.method(), "f64", r.sweeps(), r.residual(), r.converged());
        } else {
          FloatSvdResult r = Svd.decompose(transposedPiece((float[]) data, rc, p), opts);
          values = r.values();
          diag = new SvdInfo(r.method(), "f32", r.sweeps(), r.residual(), r.converged());
        }
        long t2 = System.nanoTime();
        String label = info.name() + (p.part == null ? "" : "[" + p.part + "]")
            + (p.slice == null ? "" : "[" + p.slice + "]");
        Spectrum spectrum = Spectrum.ofSingularValues(values, p.rows, p.cols);
        LayerReport lr = LayerReport.of(label, spectrum, report);
        List<String> warnings = new ArrayList<>();
        if (!lr.allFinite()) {
          warnings.add("some numbers of the report are not finite and are written as null");
        }
        if (!diag.converged()) {
          warnings.add("the SVD hit its iteration cap: values are the best available, not converged");
        }
        if (!classic) {
          lr = withoutClassic(lr);
        }
        double reportMs = (System.nanoTime() - t2) / 1e6;
        entries.add(new MatrixEntry(-1, file, info.name(), p.part, p.slice, p.role, name.depth(), name.family(),
            info.dtype().toString(), info.shape(), p.rows, p.cols, diag,
            new Timings(readMs, (t2 - t1) / 1e6, reportMs), lr, warnings));
        spectra.add(spectrum);
      }
      return new Outcome(entries, spectra, null);
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return error(file, info.name(), reason);
    } catch (OutOfMemoryError e) {
      return error(file, info.name(), "out of memory reading or decomposing it (try fewer --threads or -Xmx)");
    }
  }

  private static Outcome error(String file, String tensor, String reason) {
    return new Outcome(List.of(), List.of(), new ErrorEntry(file, tensor, reason));
  }

  private List<Piece> pieces(TensorInfo info, LayerName name, int[] rc) {
    long[] shape = info.shape();
    String role = name.role().label();
    List<Piece> out = new ArrayList<>();
    if (shape.length >= 3 && conv == Conv.slices) {
      int rows = (int) shape[0];
      int cols = (int) shape[1];
      int inner = rc[1] / cols;
      for (int t = 0; t < inner; t++) {
        String slice = shape.length == 4 ? (t / shape[3]) + "," + (t % shape[3]) : Integer.toString(t);
        out.add(new Piece(null, slice, role, rows, cols, 0, 0, t));
      }
      return out;
    }
    if (shape.length == 2) {
      List<LayerName.Part> parts = name.split(rc[0], rc[1]);
      if (parts.size() > 1) {
        for (LayerName.Part p : parts) {
          out.add(new Piece(p.role().label(), null, p.role().label(), p.rows(), p.cols(), p.row(), p.col(), -1));
        }
        return out;
      }
    }
    out.add(new Piece(null, null, role, rc[0], rc[1], 0, 0, -1));
    return out;
  }

  /**
   * The piece of a row-major {@code rc[0] x rc[1]} array, transposed: a row-major block is a column-major view of
   * its transpose with no copy, and the singular values (all {@code analyze} asks for) do not change under
   * transposition. A conv slice (strided by the spatial size) is copied into a compact transpose.
   */
  private static DMatrix transposedPiece(double[] a, int[] rc, Piece p) {
    if (p.slice0 < 0) {
      return DMatrix.wrap(a, p.row * rc[1] + p.col, p.cols, p.rows, rc[1]);
    }
    DMatrix m = DMatrix.zeros(p.cols, p.rows);
    int inner = rc[1] / p.cols;
    for (int i = 0; i < p.rows; i++) {
      for (int j = 0; j < p.cols; j++) {
        m.set(j, i, a[(i * p.cols + j) * inner + p.slice0]);
      }
    }
    return m;
  }

  /** As {@link #transposedPiece(double[], int[], Piece)} in float32. */
  private static FMatrix transposedPiece(float[] a, int[] rc, Piece p) {
    if (p.slice0 < 0) {
      return FMatrix.wrap(a, p.row * rc[1] + p.col, p.cols, p.rows, rc[1]);
    }
    FMatrix m = FMatrix.zeros(p.cols, p.rows);
    int inner = rc[1] / p.cols;
    for (int i = 0; i < p.rows; i++) {
      for (int j = 0; j < p.cols; j++) {
        m.set(j, i, a[(i * p.cols + j) * inner + p.slice0]);
      }
    }
    return m;
  }

  private static LayerReport withoutClassic(LayerReport r) {
    return new LayerReport(r.name(), r.rows(), r.cols(), r.dimension(), r.numericalRank(), r.zeroCount(),
        r.frobeniusNorm(), r.spectralNorm(), r.degenerate(), r.rankDeficient(), r.isotropic(), r.topRadial(),
        r.topRadialMax(), r.tau(), r.kEff(), r.kEffMargin(), r.stableRank(), r.entropyRank(),
        r.participationRatio(), r.sMax(), r.charts(), null);
  }
}
