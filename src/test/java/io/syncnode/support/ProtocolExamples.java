package io.syncnode.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The requests the real contextfs client's models produce, kept byte for byte as test resources
 * under {@code protocol/examples/} (register, push, pull, status, diff).
 */
public final class ProtocolExamples {
  private ProtocolExamples() {
  }

  /** The exact bytes of {@code <endpoint>.request.json}. */
  public static byte[] bytes(String endpoint) {
    String resource = "/protocol/examples/" + endpoint + ".request.json";
    try (InputStream in = ProtocolExamples.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no protocol example " + resource + " on the test classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String endpoint) {
    return new String(bytes(endpoint), StandardCharsets.UTF_8);
  }
}
