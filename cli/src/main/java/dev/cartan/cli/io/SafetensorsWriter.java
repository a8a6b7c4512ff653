package dev.cartan.cli.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cartan.kernels.DMatrix;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes matrices as a safetensors file (the format {@link SafetensorsReader} reads): an 8-byte little-endian
 * {@code u64} header length N, an N-byte UTF-8 JSON header (padded with spaces to a multiple of 8 so the data are
 * aligned) mapping each tensor name to {@code {"dtype", "shape": [rows, cols], "data_offsets": [begin, end]}}
 * (offsets relative to the end of the header) plus an optional {@code "__metadata__"} string map, then the data
 * little-endian in row-major (C) order, tensors back to back in the order given.
 *
 * <p>dtypes: {@code F64} (exact) or {@code F32} (each element rounded to nearest). Names must be unique, non-empty
 * and not {@code __metadata__}; matrices must have finite entries. The file is written to a temporary sibling and
 * moved into place, so a reader never sees half a file.
 */
public final class SafetensorsWriter {
  /** A tensor to write: its name and its matrix (row-major on disk, shape {@code [rows, cols]}). */
  public record Entry(String name, DMatrix matrix) {}

  private SafetensorsWriter() {}

  /**
   * Writes {@code entries} to {@code file} in {@code dtype} ({@link DType#F64} or {@link DType#F32}).
   *
   * @throws IllegalArgumentException if a name is empty, repeated or reserved, a matrix is null or non-finite, or
   *     the dtype is not F32/F64
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, List<Entry> entries, DType dtype, Map<String, String> metadata)
      throws IOException {
    if (dtype != DType.F64 && dtype != DType.F32) {
      throw new IllegalArgumentException("safetensors writer supports F64 and F32, not " + dtype);
    }
    int width = dtype == DType.F64 ? 8 : 4;
    Map<String, Object> header = new LinkedHashMap<>();
    if (metadata != null && !metadata.isEmpty()) {
      header.put("__metadata__", new LinkedHashMap<>(metadata));
    }
    long offset = 0;
    for (Entry e : entries) {
      if (e == null || e.name() == null || e.name().isEmpty() || "__metadata__".equals(e.name())) {
        throw new IllegalArgumentException("tensor name must be non-empty and not __metadata__");
      }
      if (header.containsKey(e.name())) {
        throw new IllegalArgumentException("tensor " + e.name() + " is given twice");
      }
      if (e.matrix() == null) {
        throw new IllegalArgumentException("tensor " + e.name() + " has no matrix");
      }
      e.matrix().requireFinite("tensor " + e.name());
      long bytes = (long) e.matrix().rows() * e.matrix().cols() * width;
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("dtype", dtype == DType.F64 ? "F64" : "F32");
      t.put("shape", List.of(e.matrix().rows(), e.matrix().cols()));
      t.put("data_offsets", List.of(offset, offset + bytes));
      header.put(e.name(), t);
      offset += bytes;
    }
    byte[] json = headerBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    Path tmp = file.resolveSibling(file.getFileName() + ".part");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      out.write(len.array());
      out.write(json);
      for (int i = json.length; i < padded; i++) {
        out.write(' ');
      }
      for (Entry e : entries) {
        DMatrix m = e.matrix();
        ByteBuffer row = ByteBuffer.allocate(m.cols() * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < m.rows(); i++) {
          row.clear();
          for (int j = 0; j < m.cols(); j++) {
            if (width == 8) {
              row.putDouble(m.get(i, j));
            } else {
              row.putFloat((float) m.get(i, j));
            }
          }
          out.write(row.array(), 0, row.position());
        }
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static byte[] headerBytes(Map<String, Object> header) {
    try {
      return new ObjectMapper().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the safetensors header", e);
    }
  }
}
