package io.syncnode.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pom's own version: the one every place that shows a version must show. */
public final class PomVersion {
  private PomVersion() {}

  public static String read() {
    try {
      String pom = Files.readString(Path.of("pom.xml"));
      Matcher version = Pattern.compile("<artifactId>syncnode</artifactId>\\s*<version>([^<]+)</version>")
          .matcher(pom);
      if (!version.find()) {
        throw new IllegalStateException("no <version> of syncnode in pom.xml");
      }
      return version.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
