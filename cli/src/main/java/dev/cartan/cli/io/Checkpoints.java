package dev.cartan.cli.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens checkpoints of any supported format: the one entry point of this package.
 *
 * <p>A file is recognised by its leading bytes (safetensors length + '{', {@code \x93NUMPY}, {@code GGUF}, a zip
 * holding {@code data.pkl} (PyTorch) or {@code .npy} entries (npz)) and, for ONNX, which has no magic, by the
 * {@code .onnx} extension. A folder is opened through {@code model.safetensors.index.json} or
 * {@code pytorch_model.bin.index.json} when present, else as a set of .npy/.npz files, else through its single
 * checkpoint file.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /** Shard index files recognised in folders, in order of preference. */
  static final List<String> INDEX_NAMES = List.of("model.safetensors.index.json", "pytorch_model.bin.index.json");

  /** Index files are small; this cap refuses hostile multi-gigabyte ones before reading them. */
  static final long MAX_INDEX = 8L << 20;

  private static final List<String> EXTENSIONS =
      List.of(".safetensors", ".npy", ".npz", ".pt", ".pth", ".bin", ".gguf", ".onnx");

  /**
   * Opens a checkpoint file or folder.
   *
   * @param path a file or a folder
   * @return the opened source (close it)
   * @throws CheckpointFormatException if the format is unrecognised, refused or its header is malformed
   * @throws IOException if the path cannot be read
   */
  public static TensorSource open(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return openFolder(path);
    }
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    if (name.endsWith(".index.json")) {
      return openIndex(path);
    }
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F') {
      return GgufReader.open(path);
    }
    if (n >= 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U' && head[3] == 'M'
        && head[4] == 'P' && head[5] == 'Y') {
      return NpyReader.openNpy(path);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return ZipCheckpoint.open(path);
    }
    if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5
        && !name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      throw new CheckpointFormatException(path, null, "legacy (pre-1.6, non-zip) PyTorch serialization is "
          + "not supported: it can only be read by unpickling arbitrary objects; re-save with torch.save "
          + "(zip format, the default since PyTorch 1.6) or convert to safetensors");
    }
    if (n >= 9 && head[8] == '{') {
      return SafetensorsReader.open(path);
    }
    if (name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      return OnnxReader.open(path);
    }
    throw new CheckpointFormatException(path, null, "unrecognised checkpoint format (expected safetensors, "
        + ".npy, .npz, PyTorch zip, GGUF or .onnx)");
  }

  private static TensorSource openFolder(Path dir) throws IOException {
    for (String idx : INDEX_NAMES) {
      Path p = dir.resolve(idx);
      if (Files.isRegularFile(p)) {
        return openIndex(p);
      }
    }
    List<Path> files = new ArrayList<>();
    List<Path> arrays = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(p) || EXTENSIONS.stream().noneMatch(n::endsWith)) {
          continue;
        }
        files.add(p);
        if (n.endsWith(".npy") || n.endsWith(".npz")) {
          arrays.add(p);
        }
      }
    }
    Collections.sort(files);
    Collections.sort(arrays);
    if (!arrays.isEmpty() && arrays.size() == files.size()) {
      MultiSource m = new MultiSource(dir, "npy");
      for (Path p : arrays) {
        try {
          m.addPart(open(p), null);
        } catch (CheckpointFormatException e) {
          m.problem(e);
        }
      }
      return m;
    }
    if (files.size() == 1) {
      return open(files.get(0));
    }
    throw new CheckpointFormatException(dir, null, files.isEmpty() ? "folder holds no checkpoint file"
        : "folder holds " + files.size() + " checkpoint files and no index.json; open one file");
  }

  /**
   * Opens the shards named by a Hugging Face index ({@code {"weight_map": {tensor: shard file}}}). Shard names
   * must be plain file names in the index's folder (no separators, no "..").
   */
  static TensorSource openIndex(Path index) throws IOException {
    if (Files.size(index) > MAX_INDEX) {
      throw new CheckpointFormatException(index, null, "index file larger than " + MAX_INDEX + " bytes");
    }
    byte[] bytes = Files.readAllBytes(index);
    String text = Json.utf8(index, null, bytes, 0, bytes.length, "index");
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CheckpointFormatException(index, null, "index is not valid JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject()) {
      throw new CheckpointFormatException(index, null, "index has no weight_map object");
    }
    Path dir = index.toAbsolutePath().getParent();
    Map<String, Set<String>> byShard = new LinkedHashMap<>();
    MultiSource m = new MultiSource(index, "sharded");
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String shard = e.getValue().asText("");
      if (!e.getValue().isTextual() || shard.isEmpty() || shard.contains("/") || shard.contains("\\")
          || shard.equals("..") || shard.equals(".")) {
        m.problem(new CheckpointFormatException(index, e.getKey(), "shard name '"
            + CheckpointFormatException.printable(shard) + "' is not a plain file name in the index's folder"));
        continue;
      }
      byShard.computeIfAbsent(shard, k -> new HashSet<>()).add(e.getKey());
    }
    for (Map.Entry<String, Set<String>> e : byShard.entrySet()) {
      Path shard = dir.resolve(e.getKey());
      try {
        TensorSource s = open(shard);
        m.addPart(s, e.getValue());
      } catch (CheckpointFormatException ex) {
        m.problem(ex);
      } catch (IOException ex) {
        m.problem(new CheckpointFormatException(shard, null, "cannot read shard: " + ex, ex));
      }
    }
    for (Map.Entry<String, Set<String>> e : byShard.entrySet()) {
      for (String t : e.getValue()) {
        if (!m.has(t)) {
          m.problem(new CheckpointFormatException(dir.resolve(e.getKey()), t,
              "listed in the index but not readable from its shard"));
        }
      }
    }
    return m;
  }
}
