package io.syncnode.log;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.syncnode.config.NodeConfig.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The last line of a process that cannot go on (a bad configuration, a port taken, no database):
 * {@code syncnode: MESSAGE} on stderr, or with log.format=json one JSON log line at ERROR with the
 * fields of {@link JsonLineEncoder}, so that a collector reading JSON reads it too.
 */
public final class FatalLine {
  private static final JsonFactory JSON = new JsonFactory();

  private FatalLine() {}

  public static void write(PrintStream err, LogFormat format, String logger, String message) {
    if (format == LogFormat.JSON) {
      err.print(json(logger, message));
    } else {
      err.println("syncnode: " + message);
    }
    err.flush();
  }

  static String json(String logger, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("ts", JsonLineEncoder.TIME.format(Instant.now()));
      json.writeStringField("level", "ERROR");
      json.writeStringField("logger", logger);
      json.writeStringField("thread", Thread.currentThread().getName());
      json.writeStringField("msg", message);
      json.writeBooleanField("fatal", true);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8) + "\n";
  }
}
