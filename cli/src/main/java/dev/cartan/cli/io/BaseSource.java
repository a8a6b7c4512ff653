package dev.cartan.cli.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shared bookkeeping of the single-file readers: validated entries, refused tensors, duplicate detection and
 * the decode loop.
 */
abstract class BaseSource implements TensorSource {
  /** Java's practical array-length limit. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /**
   * One validated tensor: its data region holds either exactly numel elements in C order ({@code strides ==
   * null}) or a storage from which the tensor is gathered with element strides and an element offset.
   */
  record Entry(TensorInfo info, DataRegion data, ByteOrder order, long elemOffset, long[] strides) {
    Entry(TensorInfo info, DataRegion data, ByteOrder order) {
      this(info, data, order, 0, null);
    }
  }

  final Path path;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, CheckpointFormatException> refused = new LinkedHashMap<>();
  private final List<CheckpointFormatException> fileProblems = new ArrayList<>();
  private final Set<String> duplicates = new HashSet<>();
  final List<Closeable> closeables = new ArrayList<>();

  BaseSource(Path path) {
    this.path = path;
  }

  /** Adds a validated tensor; a repeated name refuses every tensor of that name. */
  void add(Entry e) {
    String name = e.info().name();
    if (duplicates.contains(name)) {
      return;
    }
    if (entries.containsKey(name) || refused.containsKey(name)) {
      entries.remove(name);
      duplicates.add(name);
      refused.put(name, new CheckpointFormatException(path, name, "duplicate tensor name; every copy is refused"));
      return;
    }
    entries.put(name, e);
  }

  /** Records a refused tensor (or, with a null tensor name, a problem with part of the file). */
  void refuse(CheckpointFormatException e) {
    String name = e.tensor();
    if (name == null) {
      fileProblems.add(e);
    } else if (entries.containsKey(name)) {
      entries.remove(name);
      refused.put(name, e);
    } else {
      refused.putIfAbsent(name, e);
    }
  }

  CheckpointFormatException error(String tensor, String message) {
    return new CheckpointFormatException(path, tensor, message);
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public List<TensorInfo> tensors() {
    List<TensorInfo> list = new ArrayList<>(entries.size());
    for (Entry e : entries.values()) {
      list.add(e.info());
    }
    return list;
  }

  @Override
  public List<CheckpointFormatException> problems() {
    List<CheckpointFormatException> list = new ArrayList<>(fileProblems);
    list.addAll(refused.values());
    return list;
  }

  Entry entry(String name) throws CheckpointFormatException {
    Entry e = entries.get(name);
    if (e != null) {
      return e;
    }
    CheckpointFormatException r = refused.get(name);
    if (r != null) {
      throw r;
    }
    throw error(name, "no such tensor");
  }

  @Override
  public TensorInfo info(String name) throws CheckpointFormatException {
    return entry(name).info();
  }

  @Override
  public float[] readFloat(String name) throws IOException {
    Entry e = readableEntry(name);
    DType t = e.info().dtype();
    int numel = (int) e.info().numel();
    if (e.strides() == null) {
      float[] dst = new float[numel];
      decodeFloat(e, e.data(), dst);
      return dst;
    }
    int[] idx = gatherIndex(e);
    float[] storage = new float[extent(e)];
    decodeFloat(e, slice(e, t), storage);
    float[] dst = new float[numel];
    for (int i = 0; i < numel; i++) {
      dst[i] = storage[idx[i]];
    }
    return dst;
  }

  @Override
  public double[] readDouble(String name) throws IOException {
    Entry e = readableEntry(name);
    if (e.info().dtype() != DType.F64) {
      // Every other readable type is exactly representable in binary32, so widening afterwards is exact.
      if (e.strides() == null) {
        double[] dst = new double[(int) e.info().numel()];
        decodeWidened(e, e.data(), dst);
        return dst;
      }
      float[] f = readFloat(name);
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    int numel = (int) e.info().numel();
    if (e.strides() == null) {
      double[] dst = new double[numel];
      decodeDouble(e, e.data(), dst);
      return dst;
    }
    int[] idx = gatherIndex(e);
    double[] storage = new double[extent(e)];
    decodeDouble(e, slice(e, DType.F64), storage);
    double[] dst = new double[numel];
    for (int i = 0; i < numel; i++) {
      dst[i] = storage[idx[i]];
    }
    return dst;
  }

  private Entry readableEntry(String name) throws CheckpointFormatException {
    Entry e = entry(name);
    TensorInfo t = e.info();
    if (!t.dtype().readable()) {
      throw error(name, "dtype " + t.dtype() + " is not a floating type; skipped");
    }
    if (t.numel() > MAX_ARRAY) {
      throw error(name, t.numel() + " elements do not fit one Java array");
    }
    if (e.strides() != null && extentLong(e) > MAX_ARRAY) {
      throw error(name, "strided storage extent does not fit one Java array");
    }
    return e;
  }

  private void decodeFloat(Entry e, DataRegion region, float[] dst) throws IOException {
    DType t = e.info().dtype();
    int[] pos = {0};
    int cap = dst.length;
    region.stream(t.blockBytes(), e.order(), buf -> {
      if ((long) pos[0] + (long) (buf.remaining() / t.blockBytes()) * t.blockSize() > cap) {
        throw error(e.info().name(), "data longer than the shape");
      }
      pos[0] += Dequant.toFloat(t, buf, dst, pos[0]);
    });
    if (pos[0] != cap) {
      throw error(e.info().name(), "data hold " + pos[0] + " elements, the shape needs " + cap);
    }
  }

  /**
   * Elements decoded to float32 at a time by {@link #decodeWidened} (64 KiB, stays in L2): the float32 copy of a whole
   * tensor is never allocated (154 MB for a GPT-2 embedding), and the widening loop, a small method called once
   * per chunk, is compiled by its call count instead of running a 38-million-element loop in the interpreter until
   * an on-stack replacement (docs/design-notes.md, "analyze: reading without the float32 copy").
   */
  static final int WIDEN_CHUNK = 1 << 14;

  /** {@link #decodeFloat} widened to float64 chunk by chunk, into {@code dst}. */
  private void decodeWidened(Entry e, DataRegion region, double[] dst) throws IOException {
    DType t = e.info().dtype();
    int unit = t.blockBytes();
    int blocks = Math.max(1, WIDEN_CHUNK / t.blockSize());
    float[] chunk = new float[blocks * t.blockSize()];
    int[] pos = {0};
    int cap = dst.length;
    region.stream(unit, e.order(), buf -> {
      if ((long) pos[0] + (long) (buf.remaining() / unit) * t.blockSize() > cap) {
        throw error(e.info().name(), "data longer than the shape");
      }
      while (buf.remaining() >= unit) {
        int bytes = Math.min(buf.remaining() / unit, blocks) * unit;
        ByteBuffer piece = buf.slice(buf.position(), bytes).order(buf.order());
        int got = Dequant.toFloat(t, piece, chunk, 0);
        widen(chunk, got, dst, pos[0]);
        pos[0] += got;
        buf.position(buf.position() + bytes);
      }
    });
    if (pos[0] != cap) {
      throw error(e.info().name(), "data hold " + pos[0] + " elements, the shape needs " + cap);
    }
  }

  private static void widen(float[] src, int n, double[] dst, int off) {
    for (int i = 0; i < n; i++) {
      dst[off + i] = src[i];
    }
  }

  private void decodeDouble(Entry e, DataRegion region, double[] dst) throws IOException {
    int[] pos = {0};
    int cap = dst.length;
    region.stream(8, e.order(), buf -> {
      if ((long) pos[0] + buf.remaining() / 8 > cap) {
        throw error(e.info().name(), "data longer than the shape");
      }
      pos[0] += Dequant.f64ToDouble(buf, dst, pos[0]);
    });
    if (pos[0] != cap) {
      throw error(e.info().name(), "data hold " + pos[0] + " elements, the shape needs " + cap);
    }
  }

  /** 1 + sum (size_i - 1) stride_i: the storage elements a strided tensor touches; 0 for an empty tensor. */
  private static long extentLong(Entry e) {
    long[] shape = e.info().shape();
    long ext = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == 0) {
        return 0;
      }
      ext += (shape[i] - 1) * e.strides()[i];
    }
    return ext;
  }

  private static int extent(Entry e) {
    return (int) extentLong(e);
  }

  /** The storage sub-range [elemOffset, elemOffset + extent) of a mapped region (validated at open time). */
  private DataRegion slice(Entry e, DType t) throws CheckpointFormatException {
    long bytes = extentLong(e) * t.blockBytes();
    long start = e.elemOffset() * t.blockBytes();
    if (e.data() instanceof DataRegion.Mapped m) {
      return m.slice(start, bytes);
    }
    if (start == 0 && bytes == e.data().length) {
      return e.data();
    }
    throw error(e.info().name(), "strided view into compressed storage is not supported");
  }

  /** Row-major index -> storage index (relative to the slice start) for a strided tensor. */
  private static int[] gatherIndex(Entry e) {
    long[] shape = e.info().shape();
    long[] strides = e.strides();
    int numel = (int) e.info().numel();
    int[] idx = new int[numel];
    int rank = shape.length;
    long[] counter = new long[rank];
    long off = 0;
    for (int k = 0; k < numel; k++) {
      idx[k] = (int) off;
      // Odometer increment, innermost dimension last.
      for (int d = rank - 1; d >= 0; d--) {
        counter[d]++;
        off += strides[d];
        if (counter[d] < shape[d]) {
          break;
        }
        off -= counter[d] * strides[d];
        counter[d] = 0;
      }
    }
    return idx;
  }

  @Override
  public void close() throws IOException {
    List<Closeable> all = new ArrayList<>(closeables);
    closeables.clear();
    Io.closeAll(all);
  }
}
