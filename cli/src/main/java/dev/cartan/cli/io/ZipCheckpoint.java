package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Dispatches a zip file to the PyTorch reader (it holds {@code data.pkl}) or the .npz reader. */
final class ZipCheckpoint {
  private ZipCheckpoint() {}

  static TensorSource open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      ZipIndex zip = ZipIndex.read(path, ch);
      boolean pkl = false;
      boolean npy = false;
      for (ZipIndex.Entry e : zip.entries) {
        pkl |= e.name().equals("data.pkl") || e.name().endsWith("/data.pkl");
        npy |= e.name().endsWith(".npy");
      }
      if (pkl) {
        return TorchReader.open(path, ch, zip);
      }
      if (npy) {
        return NpyReader.openNpz(path, ch, zip);
      }
      throw new CheckpointFormatException(path, null, "zip file holds neither data.pkl (PyTorch) nor .npy "
          + "entries (npz)");
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }
}
