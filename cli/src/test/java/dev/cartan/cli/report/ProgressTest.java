package dev.cartan.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void reportsCountThroughputAndEta() {
    AtomicLong clock = new AtomicLong(0);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), true, 4, 400_000_000L,
        clock::get, 0);
    clock.set(2_000_000_000L); // 2 s
    p.itemDone(100_000_000L);
    // 100 MB in 2 s = 50 MB/s; a quarter done in 2 s leaves 6 s.
    assertEquals("1/4 tensors, 50.0 MB/s, ETA 6s", p.line(clock.get()));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("\r1/4 tensors"), out);
  }

  @Test
  void disabledProgressWritesNothing() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 2, 10, () -> 0L, 0);
    p.itemDone(5);
    p.itemDone(5);
    p.finish();
    assertEquals(0, buf.size());
  }

  @Test
  void redrawsAreThrottledButTheLastItemAlwaysDraws() {
    AtomicLong clock = new AtomicLong(0);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), true, 3, 0, clock::get,
        1_000_000_000L);
    p.itemDone(0);
    p.itemDone(0); // same instant: throttled
    p.itemDone(0); // last: drawn
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(2, out.chars().filter(c -> c == '\r').count(), out);
    assertTrue(out.contains("3/3 tensors"));
    p.finish();
    assertTrue(buf.toString(StandardCharsets.UTF_8).endsWith("\r"));
  }

  @Test
  void durationsFormat() {
    assertEquals("59s", Progress.duration(59));
    assertEquals("1m05s", Progress.duration(65));
    assertEquals("2h03m", Progress.duration(2 * 3600 + 3 * 60 + 7));
  }
}
