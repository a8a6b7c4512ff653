package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test-only reader for NumPy NPY files (format 1.0 and 2.0), dtypes {@code '<f8'} and {@code '<f4'}, C order. A
 * tensor of rank r >= 2 is read as the matrix {@code shape[0] x (shape[1] * ... * shape[r-1])} (a conv kernel
 * O,I,H,W becomes {@code O x (I H W)}); float32 is widened exactly.
 */
final class TestNpy {
  private TestNpy() {}

  static DMatrix read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    // magic: \x93NUMPY (6 bytes), major, minor (uint8 each)
    if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93
        || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
      throw new IOException(file + ": not an NPY file");
    }
    int major = bytes[6];
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = b.getShort(8) & 0xffff; // uint16 LE
      start = 10;
    } else if (major == 2) {
      headerLen = b.getInt(8); // uint32 LE
      start = 12;
    } else {
      throw new IOException(file + ": NPY version " + major + " not supported");
    }
    if (headerLen < 0 || start + (long) headerLen > bytes.length) {
      throw new IOException(file + ": header length " + headerLen + " beyond the file");
    }
    String header = new String(bytes, start, headerLen, StandardCharsets.US_ASCII);
    boolean f8 = header.contains("'descr': '<f8'");
    boolean f4 = header.contains("'descr': '<f4'");
    if (!f8 && !f4 || !header.contains("'fortran_order': False")) {
      throw new IOException(file + ": unsupported header " + header.trim());
    }
    int open = header.indexOf("'shape': (") + 10;
    int close = header.indexOf(')', open);
    String[] dims = header.substring(open, close).split(",");
    long rows = Long.parseLong(dims[0].trim());
    long cols = 1;
    for (int i = 1; i < dims.length; i++) {
      if (!dims[i].isBlank()) {
        cols *= Long.parseLong(dims[i].trim());
      }
    }
    int width = f8 ? 8 : 4;
    int data = start + headerLen;
    if (rows * cols * width != bytes.length - data) {
      throw new IOException(file + ": " + rows + "x" + cols + " does not match the file size");
    }
    DMatrix a = DMatrix.zeros((int) rows, (int) cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int at = data + (int) ((i * cols + j) * width);
        a.set(i, j, f8 ? b.getDouble(at) : b.getFloat(at));
      }
    }
    return a;
  }
}
