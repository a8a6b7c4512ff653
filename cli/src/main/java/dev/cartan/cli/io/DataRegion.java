package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Where a tensor's bytes are: a range of a file read through memory-mapped windows, a deflated zip entry
 * inflated in bounded chunks, or a small heap array (protobuf varint fields decoded at open time).
 *
 * <p>{@link #stream} hands the bytes to a consumer in chunks whose size is a multiple of a unit (the dtype's
 * block size in bytes), so decoders never see a split element; no chunk is larger than the mapping window, so
 * files over 2 GiB are read without a whole-file mapping or heap copy.
 */
abstract class DataRegion {
  /** Default mapping window: large enough to amortise the map call, far below the 2 GiB ByteBuffer limit. */
  static final long DEFAULT_WINDOW = 64L << 20;

  /** Receives one chunk; the buffer's position..limit holds whole units. */
  interface Chunk {
    void accept(ByteBuffer chunk) throws IOException;
  }

  final Path file;
  final long length;

  DataRegion(Path file, long length) {
    this.file = file;
    this.length = length;
  }

  /** Streams all {@link #length} bytes in chunks of whole units, in the given byte order. */
  abstract void stream(int unit, ByteOrder order, Chunk sink) throws IOException;

  static long windowFor(long window, int unit) {
    long w = Math.max(unit, (window / unit) * unit);
    return w;
  }

  /** A byte range of an open file channel, mapped read-only window by window. */
  static final class Mapped extends DataRegion {
    private final FileChannel channel;
    private final long offset;
    private final long window;

    Mapped(Path file, FileChannel channel, long offset, long length, long window) {
      super(file, length);
      this.channel = channel;
      this.offset = offset;
      this.window = window;
    }

    /** The sub-range [start, start + len) of this region; the caller has checked it lies inside. */
    Mapped slice(long start, long len) {
      return new Mapped(file, channel, offset + start, len, window);
    }

    @Override
    void stream(int unit, ByteOrder order, Chunk sink) throws IOException {
      long w = windowFor(window, unit);
      for (long done = 0; done < length; ) {
        long n = Math.min(w, length - done);
        ByteBuffer buf = channel.map(FileChannel.MapMode.READ_ONLY, offset + done, n).order(order);
        sink.accept(buf);
        done += n;
      }
    }
  }

  /** Bytes already on the heap (small: decoded protobuf varint fields). */
  static final class Heap extends DataRegion {
    private final byte[] bytes;

    Heap(Path file, byte[] bytes) {
      super(file, bytes.length);
      this.bytes = bytes;
    }

    @Override
    void stream(int unit, ByteOrder order, Chunk sink) throws IOException {
      sink.accept(ByteBuffer.wrap(bytes).order(order));
    }
  }

  /**
   * A deflated zip entry: the compressed range is mapped in windows and inflated into a bounded buffer, after
   * skipping {@code skip} leading bytes (a .npy header inside an .npz entry).
   */
  static final class Deflated extends DataRegion {
    /** Receives raw inflated bytes; returns false to stop early. */
    interface Raw {
      boolean accept(byte[] b, int off, int len) throws IOException;
    }

    private final FileChannel channel;
    private final long offset;
    private final long compressedLength;
    private final long inflatedLength;
    private final long skip;
    private final String tensor;

    /**
     * @param inflatedLength the entry's declared uncompressed size; the stream must match it exactly
     * @param skip bytes to drop from the start; {@code length = inflatedLength - skip}
     */
    Deflated(Path file, String tensor, FileChannel channel, long offset, long compressedLength,
        long inflatedLength, long skip) {
      super(file, inflatedLength - skip);
      this.channel = channel;
      this.offset = offset;
      this.compressedLength = compressedLength;
      this.inflatedLength = inflatedLength;
      this.skip = skip;
      this.tensor = tensor;
    }

    /** The first {@code max} inflated bytes (fewer if the entry is shorter). */
    byte[] head(int max) throws IOException {
      int want = (int) Math.min(max, inflatedLength);
      byte[] head = new byte[want];
      int[] got = {0};
      inflate(want, (b, off, len) -> {
        int n = Math.min(len, want - got[0]);
        System.arraycopy(b, off, head, got[0], n);
        got[0] += n;
        return got[0] < want;
      });
      return head;
    }

    @Override
    void stream(int unit, ByteOrder order, Chunk sink) throws IOException {
      int chunk = (int) Math.max(unit, Math.min(((1 << 20) / unit) * unit, length));
      byte[] out = new byte[chunk];
      int[] fill = {0};
      long[] skipped = {0};
      inflate(Long.MAX_VALUE, (b, off, len) -> {
        int o = off;
        int n = len;
        if (skipped[0] < skip) {
          int s = (int) Math.min(n, skip - skipped[0]);
          skipped[0] += s;
          o += s;
          n -= s;
        }
        while (n > 0) {
          int c = Math.min(n, out.length - fill[0]);
          System.arraycopy(b, o, out, fill[0], c);
          fill[0] += c;
          o += c;
          n -= c;
          if (fill[0] == out.length) {
            sink.accept(ByteBuffer.wrap(out, 0, fill[0]).order(order));
            fill[0] = 0;
          }
        }
        return true;
      });
      if (fill[0] > 0) {
        sink.accept(ByteBuffer.wrap(out, 0, fill[0]).order(order));
      }
    }

    /** Inflates up to {@code limit} bytes (the whole entry, checked against its declared size, if not stopped). */
    private void inflate(long limit, Raw raw) throws IOException {
      byte[] buf = new byte[64 << 10];
      long total = 0;
      Inflater inf = new Inflater(true);
      try {
        long in = 0;
        // Every iteration consumes input, produces output or leaves the loop, so it is bounded by the sizes.
        while (true) {
          if (inf.needsInput()) {
            if (in >= compressedLength) {
              break;
            }
            long n = Math.min(DEFAULT_WINDOW, compressedLength - in);
            inf.setInput(channel.map(FileChannel.MapMode.READ_ONLY, offset + in, n));
            in += n;
          }
          int got = inf.inflate(buf);
          total += got;
          if (total > inflatedLength) {
            throw new CheckpointFormatException(
                file, tensor, "deflated data are longer than the declared size " + inflatedLength);
          }
          if (got > 0 && !raw.accept(buf, 0, got)) {
            return;
          }
          if (total >= limit || inf.finished()) {
            break;
          }
          if (got == 0 && inf.needsDictionary()) {
            throw new CheckpointFormatException(file, tensor, "deflate stream needs a preset dictionary");
          }
        }
        if (limit == Long.MAX_VALUE && total != inflatedLength) {
          throw new CheckpointFormatException(file, tensor,
              "deflated data have " + total + " bytes, the zip entry declares " + inflatedLength);
        }
      } catch (DataFormatException e) {
        throw new CheckpointFormatException(file, tensor, "corrupt deflate data: " + e.getMessage(), e);
      } finally {
        inf.end();
      }
    }
  }
}
