package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of PyTorch zip checkpoints ({@code torch.save} since 1.6): a zip with {@code <archive>/data.pkl} (the
 * pickled object), {@code <archive>/data/<key>} (one stored entry per storage, raw elements) and optionally
 * {@code <archive>/byteorder} ("little" or "big").
 *
 * <p>data.pkl is interpreted by {@link Pickle} (data only, allow-listed globals). Tensors found in nested dicts and
 * lists are named by their dotted path ({@code model.layer.weight}, {@code list.0}). A tensor's storage offset,
 * shape and strides are checked against its storage entry's size; contiguous tensors are mapped directly, other
 * strided views are gathered. Tensors sharing a storage (tied weights) are allowed.
 */
final class TorchReader extends BaseSource {
  /** data.pkl holds only structure; 64 MiB is far above any real state dict's (kilobytes per hundred tensors). */
  static final long MAX_PICKLE = 64L << 20;

  /** Nested containers deeper than this are refused (bounds recursion on hostile input). */
  static final int MAX_DEPTH = 32;

  private final Map<String, ZipIndex.Entry> byName = new HashMap<>();
  private final FileChannel ch;
  private String prefix;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  private TorchReader(Path path, FileChannel ch) {
    super(path);
    this.ch = ch;
  }

  @Override
  public String format() {
    return "pytorch";
  }

  static TorchReader open(Path path, FileChannel ch, ZipIndex zip) throws IOException {
    TorchReader r = new TorchReader(path, ch);
    r.closeables.add(ch);
    for (ZipIndex.Entry e : zip.entries) {
      r.byName.put(e.name(), e);
    }
    for (CheckpointFormatException e : zip.problems) {
      r.refuse(e);
    }
    ZipIndex.Entry pkl = null;
    for (ZipIndex.Entry e : zip.entries) {
      if (e.name().equals("data.pkl") || e.name().endsWith("/data.pkl")) {
        if (pkl != null) {
          throw r.error(null, "more than one data.pkl");
        }
        pkl = e;
      }
    }
    r.prefix = pkl.name().substring(0, pkl.name().length() - "data.pkl".length());
    ZipIndex.Entry bo = r.byName.get(r.prefix + "byteorder");
    if (bo != null) {
      String s = new String(r.small(bo, 16), StandardCharsets.US_ASCII).trim();
      if (s.equals("big")) {
        r.order = ByteOrder.BIG_ENDIAN;
      } else if (!s.equals("little")) {
        throw r.error(null, "byteorder entry says '" + CheckpointFormatException.printable(s) + "'");
      }
    }
    Object root = Pickle.load(path, r.small(pkl, MAX_PICKLE));
    r.walk("", root, 0, new IdentityHashMap<>());
    return r;
  }

  /** Reads a small entry (inflating it if deflated) after checking its size against {@code cap}. */
  private byte[] small(ZipIndex.Entry e, long cap) throws IOException {
    if (e.size() > cap) {
      throw error(null, "entry " + e.name() + " of " + e.size() + " bytes exceeds the cap " + cap);
    }
    if (e.method() == 0) {
      ByteBuffer b = ByteBuffer.allocate((int) e.size());
      Io.readFully(ch, b, e.dataOffset(), path);
      return b.array();
    }
    byte[] all = new DataRegion.Deflated(path, null, ch, e.dataOffset(), e.compressedSize(), e.size(), 0)
        .head((int) e.size());
    if (all.length != e.size()) {
      throw error(null, "entry " + e.name() + " is shorter than declared");
    }
    return all;
  }

  private void walk(String name, Object o, int depth, IdentityHashMap<Object, Boolean> seen) {
    if (o instanceof Pickle.TensorRef t) {
      try {
        add(entry(name.isEmpty() ? "tensor" : name, t));
      } catch (CheckpointFormatException e) {
        refuse(e);
      }
      return;
    }
    if (!(o instanceof Map || o instanceof List || o instanceof Pickle.Tuple)) {
      return; // ints, strings, None: metadata, not tensors
    }
    if (depth >= MAX_DEPTH || seen.put(o, Boolean.TRUE) != null) {
      refuse(error(name, "containers nested deeper than " + MAX_DEPTH + " or cyclic; contents skipped"));
      return;
    }
    String pre = name.isEmpty() ? "" : name + ".";
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object k = e.getKey();
        String key = k instanceof String s ? s : String.valueOf(k instanceof Long ? k : "?");
        walk(pre + key, e.getValue(), depth + 1, seen);
      }
    } else {
      List<?> items = o instanceof Pickle.Tuple t ? t.items() : (List<?>) o;
      for (int i = 0; i < items.size(); i++) {
        walk(pre + i, items.get(i), depth + 1, seen);
      }
    }
  }

  private Entry entry(String name, Pickle.TensorRef t) throws CheckpointFormatException {
    DType dt = t.storage().dtype();
    long[] shape = t.shape();
    long[] strides = t.strides();
    if (shape.length != strides.length) {
      throw error(name, "size and stride have different lengths");
    }
    long numel = Shapes.numel(path, name, shape);
    if (t.offset() < 0) {
      throw error(name, "negative storage offset");
    }
    ZipIndex.Entry z = byName.get(prefix + "data/" + t.storage().key());
    if (z == null) {
      throw error(name, "storage '" + CheckpointFormatException.printable(t.storage().key()) + "' has no entry "
          + prefix + "data/<key>");
    }
    long storageElems = z.size() / dt.blockBytes();
    // Extent = 1 + sum (n_i - 1) s_i, computed without overflow against the storage size.
    long extent = numel == 0 ? 0 : 1;
    boolean contiguous = true;
    long expect = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (strides[i] < 0) {
        throw error(name, "negative stride");
      }
      if (numel != 0 && shape[i] > 1) {
        if (strides[i] > (storageElems + 1) / (shape[i] - 1) + 1) {
          throw error(name, "stride " + strides[i] + " reaches beyond the storage of " + storageElems + " elements");
        }
        extent += (shape[i] - 1) * strides[i];
        if (extent > storageElems + 1) {
          throw error(name, "view reaches beyond the storage of " + storageElems + " elements");
        }
        contiguous &= strides[i] == expect;
      }
      expect *= Math.max(shape[i], 1);
    }
    if (t.offset() > storageElems || extent > storageElems - t.offset()) {
      throw error(name, "view [" + t.offset() + ", +" + extent + ") exceeds the storage of " + storageElems
          + " elements (truncated entry?)");
    }
    long bytes = numel * dt.blockBytes();
    TensorInfo info = new TensorInfo(name, dt, shape, bytes, path);
    if (z.method() != 0) {
      if (!contiguous || t.offset() != 0 || bytes != z.size()) {
        throw error(name, "views into a deflated storage are not supported");
      }
      return new Entry(info, new DataRegion.Deflated(path, name, ch, z.dataOffset(), z.compressedSize(), z.size(),
          0), order);
    }
    if (contiguous) {
      return new Entry(info, new DataRegion.Mapped(path, ch, z.dataOffset() + t.offset() * dt.blockBytes(), bytes,
          DataRegion.DEFAULT_WINDOW), order);
    }
    DataRegion storage = new DataRegion.Mapped(path, ch, z.dataOffset(), storageElems * dt.blockBytes(),
        DataRegion.DEFAULT_WINDOW);
    return new Entry(info, storage, order, t.offset(), strides);
  }
}
