package dev.cartan.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Cartan version, from {@code version.properties} which Maven fills in at build time. */
public final class CartanVersion {
  private static final String RESOURCE = "version.properties";

  private CartanVersion() {}

  /**
   * The project version, e.g. {@code 0.1.0-SNAPSHOT}.
   *
   * @throws IllegalStateException if the resource is missing or was not filtered (a broken build)
   */
  public static String get() {
    Properties p = new Properties();
    try (InputStream in = CartanVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the cartan jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    String v = p.getProperty("version", "");
    if (v.isBlank() || v.contains("${")) {
      throw new IllegalStateException(RESOURCE + " was not filtered by the build: version='" + v + "'");
    }
    return v.trim();
  }
}
