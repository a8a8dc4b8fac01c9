package io.syncnode.http;

import io.syncnode.http.common.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.InputStream;
import java.util.function.Function;

/** Reading request bodies as JSON. */
final class JsonBodies {
  private JsonBodies() {}

  private static final String PARSED = "syncnode.parsed";

  /**
   * A handler that parses the received body with {@code parse} and passes the request on with the
   * result (see {@link #parsed}): on the event loop when the body is small, else on a worker
   * thread. Every decoded byte counts against the node's body budget while the request lasts.
   */
  static <T> Handler<RoutingContext> parsing(Vertx vertx, Function<InputStream, T> parse) {
    return ctx -> {
      RequestBody body = RequestBody.of(ctx);
      if (body.parseInline()) {
        T value;
        try {
          value = parse.apply(body.open(Long.MAX_VALUE));
        } catch (RuntimeException e) {
          ctx.fail(e);
          return;
        }
        ctx.put(PARSED, value);
        ctx.next();
        return;
      }
      vertx.executeBlocking(() -> parse.apply(body.open(Long.MAX_VALUE)), false).onComplete(parsed -> {
        if (parsed.succeeded()) {
          ctx.put(PARSED, parsed.result());
          ctx.next();
        } else {
          ctx.fail(parsed.cause());
        }
      });
    };
  }

  /** The request as {@link #parsing} decoded it. */
  static <T> T parsed(RoutingContext ctx) {
    return ctx.get(PARSED);
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
