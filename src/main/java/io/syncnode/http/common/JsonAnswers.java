package io.syncnode.http.common;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON responses. */
public final class JsonAnswers {
  private JsonAnswers() {}

  /** Answers 200 with the JSON the future yields, or the error it fails with. */
  public static void respond(RoutingContext ctx, Future<byte[]> json) {
    json.onComplete(
        bytes -> ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(bytes)),
        error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }
}
