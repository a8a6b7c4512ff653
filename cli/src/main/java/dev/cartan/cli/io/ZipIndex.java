package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The central directory of a zip file (PKWARE APPNOTE 6.3: end of central directory record 4.3.16, zip64 end
 * record and locator 4.3.14-15, central file header 4.3.12, local file header 4.3.7, zip64 extra field 4.5.3).
 *
 * <p>{@link java.util.zip.ZipFile} does not reveal where an entry's bytes are, and its streams would copy stored
 * tensors through the heap; this reader finds each entry's data offset so stored entries can be memory-mapped
 * and deflated ones inflated with {@link java.util.zip.Inflater} in bounded chunks. Every offset and size is
 * checked against the file size; encrypted entries and methods other than stored (0) and deflate (8) are
 * refused per entry.
 */
final class ZipIndex {
  /** One usable entry. */
  record Entry(String name, int method, long dataOffset, long compressedSize, long size) {}

  /** Central directories above this size are refused (a million entries is ~100 MB). */
  static final long MAX_CD = 256L << 20;

  final List<Entry> entries = new ArrayList<>();
  final List<CheckpointFormatException> problems = new ArrayList<>();

  private final Path file;
  private final FileChannel ch;
  private final long size;

  private ZipIndex(Path file, FileChannel ch) throws IOException {
    this.file = file;
    this.ch = ch;
    this.size = ch.size();
  }

  static ZipIndex read(Path file, FileChannel ch) throws IOException {
    ZipIndex z = new ZipIndex(file, ch);
    z.parse();
    return z;
  }

  private CheckpointFormatException error(String entry, String msg) {
    return new CheckpointFormatException(file, entry, msg);
  }

  private ByteBuffer read(long pos, int len) throws IOException {
    if (pos < 0 || len < 0 || pos > size - len) {
      throw error(null, "zip structure at byte " + pos + " (+" + len + ") lies outside the file of " + size
          + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    Io.readFully(ch, b, pos, file);
    return b;
  }

  private void parse() throws IOException {
    // The end record is in the last 22 + 65535 bytes (its comment is at most 65535 bytes).
    int tail = (int) Math.min(size, 22 + 65535);
    ByteBuffer t = read(size - tail, tail);
    int eocd = -1;
    for (int i = tail - 22; i >= 0; i--) {
      if (t.getInt(i) == 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw error(null, "no zip end-of-central-directory record");
    }
    long eocdPos = size - tail + eocd;
    long count = t.getShort(eocd + 10) & 0xffff; // u16 total entries
    long cdSize = t.getInt(eocd + 12) & 0xffffffffL; // u32 size of central directory
    long cdOff = t.getInt(eocd + 16) & 0xffffffffL; // u32 offset of central directory
    if (count == 0xffff || cdSize == 0xffffffffL || cdOff == 0xffffffffL) {
      long locPos = eocdPos - 20;
      ByteBuffer loc = read(locPos, 20);
      if (loc.getInt(0) != 0x07064b50) {
        throw error(null, "zip64 values without a zip64 locator");
      }
      long z64 = loc.getLong(8); // u64 offset of zip64 end record
      ByteBuffer r = read(z64, 56);
      if (r.getInt(0) != 0x06064b50) {
        throw error(null, "bad zip64 end record signature");
      }
      count = r.getLong(32); // u64 total entries
      cdSize = r.getLong(40); // u64 size of central directory
      cdOff = r.getLong(48); // u64 offset of central directory
    }
    if (cdOff < 0 || cdSize < 0 || cdSize > MAX_CD || cdOff > size - cdSize) {
      throw error(null, "central directory [" + cdOff + ", +" + cdSize + ") out of range");
    }
    if (count < 0 || count > cdSize / 46) {
      throw error(null, "central directory claims " + count + " entries in " + cdSize + " bytes");
    }
    ByteBuffer cd = read(cdOff, (int) cdSize);
    int p = 0;
    for (long i = 0; i < count; i++) {
      if (p > cd.limit() - 46 || cd.getInt(p) != 0x02014b50) {
        throw error(null, "bad central directory header " + i);
      }
      int flags = cd.getShort(p + 8) & 0xffff;
      int method = cd.getShort(p + 10) & 0xffff;
      long csize = cd.getInt(p + 20) & 0xffffffffL;
      long usize = cd.getInt(p + 24) & 0xffffffffL;
      int nameLen = cd.getShort(p + 28) & 0xffff;
      int extraLen = cd.getShort(p + 30) & 0xffff;
      int commentLen = cd.getShort(p + 32) & 0xffff;
      long local = cd.getInt(p + 42) & 0xffffffffL;
      int next = p + 46 + nameLen + extraLen + commentLen;
      if (next > cd.limit()) {
        throw error(null, "central directory header " + i + " runs past the directory");
      }
      String name;
      try {
        name = Json.utf8(file, null, cd.array(), p + 46, nameLen, "zip entry name");
      } catch (CheckpointFormatException e) {
        problems.add(e);
        p = next;
        continue;
      }
      // Zip64 extra field: the 64-bit values present are those whose 32-bit field is 0xffffffff, in order.
      int x = p + 46 + nameLen;
      int xEnd = x + extraLen;
      while (x + 4 <= xEnd) {
        int id = cd.getShort(x) & 0xffff;
        int len = cd.getShort(x + 2) & 0xffff;
        if (x + 4 + len > xEnd) {
          break;
        }
        if (id == 1) {
          int q = x + 4;
          if (usize == 0xffffffffL && q + 8 <= x + 4 + len) {
            usize = cd.getLong(q);
            q += 8;
          }
          if (csize == 0xffffffffL && q + 8 <= x + 4 + len) {
            csize = cd.getLong(q);
            q += 8;
          }
          if (local == 0xffffffffL && q + 8 <= x + 4 + len) {
            local = cd.getLong(q);
          }
        }
        x += 4 + len;
      }
      p = next;
      try {
        entries.add(entry(name, flags, method, csize, usize, local, cdOff));
      } catch (CheckpointFormatException e) {
        problems.add(e);
      }
    }
  }

  private Entry entry(String name, int flags, int method, long csize, long usize, long local, long cdOff)
      throws IOException {
    if ((flags & 1) != 0) {
      throw error(name, "encrypted zip entry");
    }
    if (method != 0 && method != 8) {
      throw error(name, "zip compression method " + method + " is not supported (only stored and deflate)");
    }
    // Deflate cannot expand more than 1032:1, so a larger declared size is corrupt (and would allocate).
    if (method == 8 && usize > csize * 1032 + 1024) {
      throw error(name, "declared size " + usize + " impossible for " + csize + " deflated bytes");
    }
    if (method == 0 && csize != usize) {
      throw error(name, "stored entry with compressed size " + csize + " != size " + usize);
    }
    if (csize < 0 || usize < 0 || local < 0 || local > cdOff - 30) {
      throw error(name, "local header offset " + local + " out of range");
    }
    ByteBuffer lh = read(local, 30);
    if (lh.getInt(0) != 0x04034b50) {
      throw error(name, "bad local header signature");
    }
    long data = local + 30 + (lh.getShort(26) & 0xffff) + (lh.getShort(28) & 0xffff);
    if (data > cdOff || csize > cdOff - data) {
      throw error(name, "entry data [" + data + ", +" + csize + ") run into the central directory");
    }
    return new Entry(name, method, data, csize, usize);
  }
}
