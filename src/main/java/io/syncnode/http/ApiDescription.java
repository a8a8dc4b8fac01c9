package io.syncnode.http;

import io.syncnode.config.Version;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * GET /openapi.json: the OpenAPI document of every endpoint, read once from the classpath, with
 * this build's version as info.version.
 */
final class ApiDescription implements Handler<RoutingContext> {
  static final String RESOURCE = "openapi.json";

  private final Buffer document;

  ApiDescription(Buffer document) {
    this.document = document;
  }

  /** Reads the document off the event loop (from the classpath, never from the working directory). */
  static Future<ApiDescription> load(Vertx vertx) {
    return vertx.executeBlocking(() -> new ApiDescription(Buffer.buffer(withVersion(
        new String(read(), StandardCharsets.UTF_8), Version.current()))));
  }

  /**
   * The document as written (its layout kept for readers), with {@code version} as info.version:
   * info comes before anything else that has a version field.
   */
  static String withVersion(String document, String version) {
    String written = new JsonObject(document).getJsonObject("info").getString("version");
    String field = "\"version\": " + Json.encode(written);
    int at = document.indexOf(field);
    if (at >= 0) {
      String replaced = document.substring(0, at) + "\"version\": " + Json.encode(version)
          + document.substring(at + field.length());
      if (version.equals(new JsonObject(replaced).getJsonObject("info").getString("version"))) {
        return replaced;
      }
    }
    JsonObject parsed = new JsonObject(document);
    parsed.getJsonObject("info").put("version", version);
    return parsed.encodePrettily();
  }

  private static byte[] read() {
    try (InputStream in = ApiDescription.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(document);
  }
}
