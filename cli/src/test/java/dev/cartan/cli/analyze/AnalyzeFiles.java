package dev.cartan.cli.analyze;

import dev.cartan.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers: matrices with known singular values, a minimal safetensors writer, and running the CLI. */
final class AnalyzeFiles {
  private AnalyzeFiles() {}

  /** One run of {@code cartan} with stdout and stderr captured. */
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Householder reflector {@code I - 2 u u^T / |u|^2} of order n (orthogonal), u from a closed form. */
  static double[][] reflector(int n, double shift) {
    double[] u = new double[n];
    double nn = 0;
    for (int i = 0; i < n; i++) {
      u[i] = Math.cos(0.9 * i + shift) + 0.3;
      nn += u[i] * u[i];
    }
    double[][] h = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        h[i][j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / nn;
      }
    }
    return h;
  }

  /** Row-major {@code m x n} matrix {@code U[:, :k] diag(s) V[:, :k]^T}, k = s.length, U and V reflectors. */
  static double[] withSingularValues(int m, int n, double[] s, double shift) {
    double[][] u = reflector(m, shift);
    double[][] v = reflector(n, shift + 0.4);
    double[] a = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double x = 0;
        for (int k = 0; k < s.length; k++) {
          x += u[i][k] * s[k] * v[j][k];
        }
        a[i * n + j] = x;
      }
    }
    return a;
  }

  /** A tensor for {@link #safetensors}: F64 data in row-major order. */
  record T(String name, long[] shape, double[] data) {}

  /** Writes a safetensors file of F64 tensors (header padded with spaces to 8 bytes, as the spec allows). */
  static Path safetensors(Path file, T... tensors) throws IOException {
    StringBuilder h = new StringBuilder("{");
    long off = 0;
    Map<String, double[]> data = new LinkedHashMap<>();
    for (T t : tensors) {
      if (h.length() > 1) {
        h.append(',');
      }
      long bytes = 8L * t.data().length;
      StringBuilder shape = new StringBuilder();
      for (long d : t.shape()) {
        shape.append(shape.length() == 0 ? "" : ",").append(d);
      }
      h.append('"').append(t.name()).append("\":{\"dtype\":\"F64\",\"shape\":[").append(shape)
          .append("],\"data_offsets\":[").append(off).append(',').append(off + bytes).append("]}");
      off += bytes;
      data.put(t.name(), t.data());
    }
    h.append('}');
    while ((8 + h.length()) % 8 != 0) {
      h.append(' ');
    }
    byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate((int) (8 + header.length + off)).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header);
    for (double[] d : data.values()) {
      for (double x : d) {
        b.putDouble(x);
      }
    }
    Files.write(file, b.array());
    return file;
  }
}
