package io.syncnode.http;

import io.syncnode.Version;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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
    return vertx.executeBlocking(() -> {
      JsonObject document = new JsonObject(Buffer.buffer(read()));
      document.getJsonObject("info").put("version", Version.current());
      return new ApiDescription(document.toBuffer());
    });
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
