package dev.cartan.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cartan.kernels.DMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
  @TempDir Path dir;

  @Test
  void roundTripsThroughTheReader() throws Exception {
    DMatrix a = DMatrix.fromRows(new double[][] {{1, 2, 3}, {4, 5, 6.000000001}});
    DMatrix b = DMatrix.fromRows(new double[][] {{0.1}, {-1e-300}});
    for (DType t : List.of(DType.F64, DType.F32)) {
      Path f = dir.resolve("m-" + t + ".safetensors");
      SafetensorsWriter.write(f, List.of(new SafetensorsWriter.Entry("a", a), new SafetensorsWriter.Entry("b\"q", b)),
          t, Map.of("k", "v"));
      assertEquals(0, (Files.size(f) - 8 - (t == DType.F64 ? 64 : 32)) % 8, "header padded to 8 bytes");
      try (TensorSource s = Checkpoints.open(f)) {
        assertEquals(List.of("a", "b\"q"), s.tensors().stream().map(TensorInfo::name).toList());
        DMatrix ra = s.readDMatrix("a");
        DMatrix rb = s.readDMatrix("b\"q");
        for (int i = 0; i < 2; i++) {
          for (int j = 0; j < 3; j++) {
            assertEquals(t == DType.F64 ? a.get(i, j) : (double) (float) a.get(i, j), ra.get(i, j), 0.0);
          }
          assertEquals(t == DType.F64 ? b.get(i, 0) : (double) (float) b.get(i, 0), rb.get(i, 0), 0.0);
        }
      }
    }
  }

  @Test
  void refusesBadEntries() {
    Path f = dir.resolve("x.safetensors");
    DMatrix m = DMatrix.identity(2);
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(f,
        List.of(new SafetensorsWriter.Entry("a", m), new SafetensorsWriter.Entry("a", m)), DType.F64, null));
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(f,
        List.of(new SafetensorsWriter.Entry("__metadata__", m)), DType.F64, null));
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(f,
        List.of(new SafetensorsWriter.Entry("a", m)), DType.F16, null));
  }
}
