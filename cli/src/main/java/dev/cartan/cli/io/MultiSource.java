package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several sources seen as one: the shards of a {@code *.index.json} folder, or a folder of .npy/.npz files.
 * Names must be unique across parts; a name found in two parts is refused in both.
 */
final class MultiSource implements TensorSource {
  private final Path path;
  private final String format;
  private final List<TensorSource> parts = new ArrayList<>();
  private final Map<String, TensorSource> owner = new LinkedHashMap<>();
  private final Map<String, CheckpointFormatException> refused = new LinkedHashMap<>();
  private final List<CheckpointFormatException> fileProblems = new ArrayList<>();

  MultiSource(Path path, String format) {
    this.path = path;
    this.format = format;
  }

  /**
   * Adds a part; if {@code only} is non-null, only tensors whose name maps to this part are exposed.
   */
  void addPart(TensorSource part, Set<String> only) {
    parts.add(part);
    fileProblems.addAll(part.problems());
    Set<String> dup = new HashSet<>();
    for (TensorInfo t : part.tensors()) {
      String n = t.name();
      if (only != null && !only.contains(n)) {
        continue;
      }
      if (owner.containsKey(n) || refused.containsKey(n)) {
        dup.add(n);
      } else {
        owner.put(n, part);
      }
    }
    for (String n : dup) {
      owner.remove(n);
      refused.put(n, new CheckpointFormatException(path, n, "tensor name appears in more than one file"));
    }
  }

  void problem(CheckpointFormatException e) {
    if (e.tensor() != null) {
      refused.putIfAbsent(e.tensor(), e);
    } else {
      fileProblems.add(e);
    }
  }

  boolean has(String name) {
    return owner.containsKey(name);
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public String format() {
    return format;
  }

  @Override
  public List<TensorInfo> tensors() {
    List<TensorInfo> list = new ArrayList<>();
    for (Map.Entry<String, TensorSource> e : owner.entrySet()) {
      try {
        list.add(e.getValue().info(e.getKey()));
      } catch (CheckpointFormatException ex) {
        // Unreachable: owner only holds names its part listed.
      }
    }
    return list;
  }

  @Override
  public List<CheckpointFormatException> problems() {
    List<CheckpointFormatException> list = new ArrayList<>(fileProblems);
    list.addAll(refused.values());
    return list;
  }

  private TensorSource part(String name) throws CheckpointFormatException {
    TensorSource s = owner.get(name);
    if (s != null) {
      return s;
    }
    CheckpointFormatException r = refused.get(name);
    throw r != null ? r : new CheckpointFormatException(path, name, "no such tensor");
  }

  @Override
  public TensorInfo info(String name) throws CheckpointFormatException {
    return part(name).info(name);
  }

  @Override
  public float[] readFloat(String name) throws IOException {
    return part(name).readFloat(name);
  }

  @Override
  public double[] readDouble(String name) throws IOException {
    return part(name).readDouble(name);
  }

  @Override
  public void close() throws IOException {
    Io.closeAll(parts);
  }
}
