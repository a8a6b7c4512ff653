package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Sequential little-endian reads from a file channel through a small buffer, each checked against the file size,
 * so a header claiming more bytes than the file has fails before allocation.
 */
final class Cursor {
  private final FileChannel ch;
  private final Path file;
  private final long size;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  private long bufStart;
  private long pos;

  Cursor(Path file, FileChannel ch, long pos) throws IOException {
    this.file = file;
    this.ch = ch;
    this.size = ch.size();
    this.pos = pos;
    this.bufStart = pos;
    buf.limit(0);
  }

  long position() {
    return pos;
  }

  long size() {
    return size;
  }

  long remaining() {
    return size - pos;
  }

  private void need(long n, String what) throws CheckpointFormatException {
    if (n < 0 || n > size - pos) {
      throw new CheckpointFormatException(file, null, what + " of " + n + " bytes at byte " + pos
          + " runs past the end of the " + size + "-byte file");
    }
  }

  private void fill(int n) throws IOException {
    long off = pos - bufStart;
    if (off >= 0 && off + n <= buf.limit()) {
      buf.position((int) off);
      return;
    }
    buf.clear();
    bufStart = pos;
    while (buf.position() < n) {
      int r = ch.read(buf, bufStart + buf.position());
      if (r < 0) {
        break;
      }
      if (buf.position() >= n && r == 0) {
        break;
      }
    }
    buf.flip();
    if (buf.limit() < n) {
      throw new CheckpointFormatException(file, null, "unexpected end of file at byte " + pos);
    }
  }

  int u8() throws IOException {
    need(1, "u8");
    fill(1);
    pos += 1;
    return buf.get() & 0xff;
  }

  int i32() throws IOException {
    need(4, "int32");
    fill(4);
    pos += 4;
    return buf.getInt();
  }

  long u32() throws IOException {
    return i32() & 0xffffffffL;
  }

  long i64() throws IOException {
    need(8, "int64");
    fill(8);
    pos += 8;
    return buf.getLong();
  }

  /** Skips {@code n} bytes after checking they exist. */
  void skip(long n, String what) throws CheckpointFormatException {
    need(n, what);
    pos += n;
  }

  /** Reads {@code n} bytes (n checked against the file size and {@code cap} before allocating). */
  byte[] bytes(long n, long cap, String what) throws IOException {
    need(n, what);
    if (n > cap) {
      throw new CheckpointFormatException(file, null, what + " of " + n + " bytes exceeds the cap " + cap);
    }
    byte[] r = new byte[(int) n];
    int done = 0;
    while (done < n) {
      int c = (int) Math.min(n - done, buf.capacity());
      fill(c);
      buf.get(r, done, c);
      pos += c;
      done += c;
    }
    return r;
  }
}
