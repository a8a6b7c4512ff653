package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader of NumPy {@code .npy} (format versions 1.0, 2.0, 3.0) and {@code .npz} (a zip of .npy entries, stored or
 * deflated).
 *
 * <p>.npy layout (numpy/lib/format.py): magic {@code \x93NUMPY}, u8 major, u8 minor, header length (u16 LE for
 * v1, u32 LE for v2 and v3), then a Python dict literal (latin-1 in v1/v2, UTF-8 in v3) with keys
 * {@code 'descr'} (a type string such as {@code '<f4'}), {@code 'fortran_order'} (True/False) and
 * {@code 'shape'} (a tuple of ints), then the raw data. Only the literal syntax numpy writes is parsed (strings,
 * True/False, tuples of non-negative ints); nothing is evaluated. Structured and object dtypes are refused.
 */
final class NpyReader extends BaseSource {
  /** numpy itself caps headers far lower; 1 MiB refuses hostile lengths before allocation. */
  static final int MAX_HEADER = 1 << 20;

  private final String format;

  private NpyReader(Path path, String format) {
    super(path);
    this.format = format;
  }

  @Override
  public String format() {
    return format;
  }

  /** A parsed header: dtype, byte order, shape, storage order and where the data begin. */
  record Header(DType dtype, ByteOrder order, long[] shape, boolean fortran, int dataStart) {}

  static NpyReader openNpy(Path path) throws IOException {
    NpyReader r = new NpyReader(path, "npy");
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    r.closeables.add(ch);
    try {
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, MAX_HEADER + 12L));
      Io.readFully(ch, head, 0, path);
      String name = stem(path.getFileName().toString());
      Header h = parseHeader(path, name, head.array(), head.limit());
      r.add(r.mapped(name, h, size - h.dataStart(), ch, h.dataStart()));
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  static NpyReader openNpz(Path path, FileChannel ch, ZipIndex zip) {
    NpyReader r = new NpyReader(path, "npz");
    r.closeables.add(ch);
    for (CheckpointFormatException e : zip.problems) {
      r.refuse(e);
    }
    for (ZipIndex.Entry z : zip.entries) {
      if (!z.name().endsWith(".npy")) {
        continue;
      }
      String name = z.name().substring(0, z.name().length() - 4);
      try {
        if (z.method() == 0) {
          ByteBuffer head = ByteBuffer.allocate((int) Math.min(z.size(), MAX_HEADER + 12L));
          Io.readFully(ch, head, z.dataOffset(), path);
          Header h = parseHeader(path, name, head.array(), head.limit());
          r.add(r.mapped(name, h, z.size() - h.dataStart(), ch, z.dataOffset() + h.dataStart()));
        } else {
          DataRegion.Deflated all =
              new DataRegion.Deflated(path, name, ch, z.dataOffset(), z.compressedSize(), z.size(), 0);
          byte[] head = all.head(MAX_HEADER + 12);
          Header h = parseHeader(path, name, head, head.length);
          long avail = z.size() - h.dataStart;
          long need = h.dtype.byteSize(Shapes.numel(path, name, h.shape));
          if (need != avail) {
            throw new CheckpointFormatException(path, name, "entry holds " + avail + " data bytes, the header needs "
                + need);
          }
          DataRegion data = new DataRegion.Deflated(path, name, ch, z.dataOffset(), z.compressedSize(), z.size(),
              h.dataStart);
          r.add(r.layout(name, h, data, need));
        }
      } catch (CheckpointFormatException e) {
        r.refuse(e.tensor() == null ? new CheckpointFormatException(path, name, e.getMessage(), e) : e);
      } catch (IOException e) {
        r.refuse(new CheckpointFormatException(path, name, "cannot read entry: " + e, e));
      }
    }
    return r;
  }

  /** Builds a mapped entry after checking that {@code avail} bytes hold the data. */
  private Entry mapped(String name, Header h, long avail, FileChannel ch, long start)
      throws CheckpointFormatException {
    long need = h.dtype.byteSize(Shapes.numel(path, name, h.shape));
    if (need < 0 || need > avail) {
      throw error(name, "data need " + need + " bytes, only " + avail + " follow the header (truncated?)");
    }
    return layout(name, h, new DataRegion.Mapped(path, ch, start, need, DataRegion.DEFAULT_WINDOW), need);
  }

  private Entry layout(String name, Header h, DataRegion data, long need) {
    TensorInfo info = new TensorInfo(name, h.dtype, h.shape, need, path);
    if (!h.fortran || h.shape.length < 2) {
      return new Entry(info, data, h.order);
    }
    // Fortran order: the first index varies fastest.
    long[] strides = new long[h.shape.length];
    long s = 1;
    for (int i = 0; i < strides.length; i++) {
      strides[i] = s;
      s *= h.shape[i];
    }
    return new Entry(info, data, h.order, 0, strides);
  }

  static String stem(String file) {
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }

  /** Parses magic, version, header length and the header dict literal from the first {@code n} bytes. */
  static Header parseHeader(Path path, String name, byte[] b, int n) throws CheckpointFormatException {
    if (n < 10 || (b[0] & 0xff) != 0x93 || b[1] != 'N' || b[2] != 'U' || b[3] != 'M' || b[4] != 'P'
        || b[5] != 'Y') {
      throw new CheckpointFormatException(path, name, "bad .npy magic");
    }
    int major = b[6] & 0xff;
    long len;
    int start;
    if (major == 1) {
      len = (b[8] & 0xff) | (b[9] & 0xff) << 8; // u16 LE
      start = 10;
    } else if (major == 2 || major == 3) {
      if (n < 12) {
        throw new CheckpointFormatException(path, name, "truncated .npy header");
      }
      len = (b[8] & 0xffL) | (b[9] & 0xffL) << 8 | (b[10] & 0xffL) << 16 | (b[11] & 0xffL) << 24; // u32 LE
      start = 12;
    } else {
      throw new CheckpointFormatException(path, name, ".npy format version " + major + "." + (b[7] & 0xff)
          + " is not supported (1.0, 2.0, 3.0)");
    }
    if (len > MAX_HEADER || start + len > n) {
      throw new CheckpointFormatException(path, name, "header length " + len + " exceeds the file or the cap "
          + MAX_HEADER);
    }
    String text = major == 3
        ? Json.utf8(path, name, b, start, (int) len, "header")
        : new String(b, start, (int) len, java.nio.charset.StandardCharsets.ISO_8859_1);
    Header h = new Literal(path, name, text).header((int) (start + len));
    return h;
  }

  /** A recursive-descent parser of the dict literal numpy writes; depth is bounded by the grammar (no nesting). */
  private static final class Literal {
    private final Path path;
    private final String name;
    private final String s;
    private int i;

    Literal(Path path, String name, String s) {
      this.path = path;
      this.name = name;
      this.s = s;
    }

    private CheckpointFormatException error(String msg) {
      return new CheckpointFormatException(path, name, "header dict: " + msg + " at character " + i);
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private boolean eat(char c) {
      ws();
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    private void expect(char c) throws CheckpointFormatException {
      if (!eat(c)) {
        throw error("expected '" + c + "'");
      }
    }

    private String string() throws CheckpointFormatException {
      ws();
      if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
        throw error("expected a string");
      }
      char q = s.charAt(i++);
      int end = s.indexOf(q, i);
      if (end < 0) {
        throw error("unterminated string");
      }
      String r = s.substring(i, end);
      i = end + 1;
      return r;
    }

    Header header(int dataStart) throws CheckpointFormatException {
      String descr = null;
      Boolean fortran = null;
      long[] shape = null;
      expect('{');
      while (!eat('}')) {
        String key = string();
        expect(':');
        ws();
        switch (key) {
          case "descr" -> {
            if (i < s.length() && s.charAt(i) == '[') {
              throw error("structured dtypes are not supported");
            }
            descr = string();
          }
          case "fortran_order" -> {
            if (s.startsWith("True", i)) {
              fortran = true;
              i += 4;
            } else if (s.startsWith("False", i)) {
              fortran = false;
              i += 5;
            } else {
              throw error("fortran_order must be True or False");
            }
          }
          case "shape" -> shape = tuple();
          default -> throw error("unexpected key '" + CheckpointFormatException.printable(key) + "'");
        }
        if (!eat(',')) {
          expect('}');
          break;
        }
      }
      if (descr == null || fortran == null || shape == null) {
        throw error("missing descr, fortran_order or shape");
      }
      DType t = dtype(descr);
      ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      return new Header(t, order, shape, fortran, dataStart);
    }

    private long[] tuple() throws CheckpointFormatException {
      expect('(');
      List<Long> dims = new ArrayList<>();
      while (!eat(')')) {
        ws();
        int st = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && i - st < 19) {
          i++;
        }
        if (i == st) {
          throw error("expected a non-negative integer");
        }
        try {
          dims.add(Long.parseLong(s.substring(st, i)));
        } catch (NumberFormatException e) {
          throw error("dimension " + s.substring(st, i) + " exceeds 64 bits");
        }
        if (i < s.length() && s.charAt(i) == 'L') {
          i++; // Python 2 long suffix
        }
        if (dims.size() > Shapes.MAX_RANK) {
          throw error("rank exceeds " + Shapes.MAX_RANK);
        }
        if (!eat(',')) {
          expect(')');
          break;
        }
      }
      long[] r = new long[dims.size()];
      for (int k = 0; k < r.length; k++) {
        r[k] = dims.get(k);
      }
      return r;
    }

    private DType dtype(String d) throws CheckpointFormatException {
      if (d.length() < 3 || "<>|=".indexOf(d.charAt(0)) < 0) {
        throw error("unsupported dtype '" + CheckpointFormatException.printable(d) + "'");
      }
      switch (d.substring(1)) {
        case "f2": return DType.F16;
        case "f4": return DType.F32;
        case "f8": return DType.F64;
        case "i1": return DType.I8;
        case "i2": return DType.I16;
        case "i4": return DType.I32;
        case "i8": return DType.I64;
        case "u1": return DType.U8;
        case "u2": return DType.U16;
        case "u4": return DType.U32;
        case "u8": return DType.U64;
        case "b1": return DType.BOOL;
        case "c8": return DType.C64;
        case "c16": return DType.C128;
        default:
          throw error("unsupported dtype '" + CheckpointFormatException.printable(d)
              + "' (object, string, datetime and long double arrays are refused)");
      }
    }
  }
}
