package io.syncnode.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This build's version: the pom's {@code <version>}, written into {@code io/syncnode/version.properties}
 * when the resources are copied (the jar's manifest carries the same as Implementation-Version).
 */
public final class Version {
  private static final String RESOURCE = "/io/syncnode/version.properties";
  private static final String CURRENT = read();

  private Version() {}

  public static String current() {
    return CURRENT;
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE.substring(1) + " is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "").trim();
      if (version.isEmpty() || version.startsWith("${")) {
        throw new IllegalStateException(RESOURCE.substring(1) + " holds no version (resources not filtered)");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
