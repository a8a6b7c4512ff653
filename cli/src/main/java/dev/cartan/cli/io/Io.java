package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Small positional-read helpers. */
final class Io {
  private Io() {}

  /** Fills {@code buf} from {@code pos}; a short file is a {@link CheckpointFormatException}. */
  static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, p);
      if (n < 0) {
        throw new CheckpointFormatException(file, null, "unexpected end of file at byte " + p);
      }
      p += n;
    }
    buf.flip();
  }

  /** Closes every item, then rethrows the first failure. */
  static void closeAll(Iterable<? extends java.io.Closeable> items) throws IOException {
    IOException first = null;
    for (java.io.Closeable c : items) {
      try {
        c.close();
      } catch (IOException ex) {
        if (first == null) {
          first = ex;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
