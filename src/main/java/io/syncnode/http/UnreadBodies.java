package io.syncnode.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;

/**
 * A request answered before its body was read (an unknown key, a body too large, a refusal of any
 * kind) still ends: the rest of its body is read and dropped, so that the connection can serve the
 * client's next request; if it has not ended {@link #GRACE_MS} after the answer (a client that stopped
 * sending, or went away), it is reported to the HTTP metrics as reset and its connection closed.
 * Vert.x counts a request as active until both its request and its response have ended, and
 * reports nothing when the connection of a request whose response has ended closes, so without
 * this every such request would stay in vertx_http_server_active_requests for good.
 */
final class UnreadBodies implements Handler<RoutingContext> {
  static final long GRACE_MS = 2_000;

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    ctx.addEndHandler(done -> {
      if (request.isEnded() || !ctx.response().ended()) {
        return;
      }
      request.resume();
      ctx.vertx().setTimer(GRACE_MS, t -> {
        if (!request.isEnded()) {
          HttpConnection connection = request.connection();
          if (connection instanceof Http1xServerConnection http1 && http1.metrics() != null
              && request instanceof HttpServerRequestInternal internal && internal.metric() != null) {
            http1.metrics().requestReset(internal.metric());
          }
          connection.close();
        }
      });
    });
    ctx.next();
  }
}
