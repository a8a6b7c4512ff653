package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file (or one tensor in it) is malformed, truncated, hostile or uses a feature the readers refuse.
 *
 * <p>Every parser in this package reports every malformed-input case with this type, never with an
 * {@link OutOfMemoryError}, an index exception or a stack overflow. The message names the file and, when the
 * problem is confined to one tensor, the tensor; {@link #file()} and {@link #tensor()} give them separately.
 */
public class CheckpointFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String tensor;

  /**
   * @param file the file being read (may be null when not known)
   * @param tensor the tensor concerned, or null when the problem is with the file as a whole
   * @param message what is wrong, in terms of the format's specification
   */
  public CheckpointFormatException(Path file, String tensor, String message) {
    this(file, tensor, message, null);
  }

  /**
   * @param file the file being read (may be null)
   * @param tensor the tensor concerned, or null
   * @param message what is wrong
   * @param cause the underlying exception, or null
   */
  public CheckpointFormatException(Path file, String tensor, String message, Throwable cause) {
    super(compose(file, tensor, message), cause);
    this.file = file;
    this.tensor = tensor;
  }

  private static String compose(Path file, String tensor, String message) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "<unknown file>" : file.toString());
    if (tensor != null) {
      sb.append(": tensor '").append(printable(tensor)).append('\'');
    }
    return sb.append(": ").append(message).toString();
  }

  /** Escapes control characters and truncates, so that hostile names cannot garble a terminal. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(s.length(), 200);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (s.length() > n) {
      sb.append("...(").append(s.length()).append(" chars)");
    }
    return sb.toString();
  }

  /** The file that was being read, or null when unknown. */
  public Path file() {
    return file;
  }

  /** The tensor concerned, or null when the whole file is refused. */
  public String tensor() {
    return tensor;
  }
}
