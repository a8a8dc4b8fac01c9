package io.syncnode.http;

import io.syncnode.protocol.InvalidInputException;
import io.syncnode.protocol.json.Utf8;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** Reading request bodies and writing JSON responses. */
final class JsonBodies {
  private JsonBodies() {}

  /** The request body, refused unless it is valid UTF-8. */
  static InputStream body(RoutingContext ctx) {
    Buffer buffer = ctx.body().buffer();
    byte[] bytes = buffer == null ? new byte[0] : buffer.getBytes();
    if (!Utf8.isValid(bytes)) {
      throw new InvalidInputException(null, "the request body is not valid UTF-8");
    }
    return new ByteArrayInputStream(bytes);
  }

  /** Answers 200 with the JSON the future yields, or the error it fails with. */
  static void respond(RoutingContext ctx, Future<byte[]> json) {
    json.onComplete(
        bytes -> ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(bytes)),
        error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }

  /** Refuses a body declared as anything but JSON; a body without a content type is read as JSON. */
  static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null) {
      String mime = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
      if (!mime.equals("application/json") && !mime.endsWith("+json")) {
        throw new ApiError(415, "unsupported_media_type",
            "the body must be application/json, not " + mime, null);
      }
    }
    ctx.next();
  }
}
