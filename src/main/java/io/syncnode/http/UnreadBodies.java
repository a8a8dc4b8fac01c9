package io.syncnode.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;

/**
 * A request answered before its body was read (an unknown key, a body too large, a refusal of any
 * kind) ends with its response: the connection is closed, since the rest of the body would have to
 * be read to reuse it, and the request is reported to the HTTP metrics as reset. Vert.x counts a
 * request as active until both its request and its response have ended, and reports nothing when
 * the connection of a request whose response has ended closes, so without this every such request
 * would stay in vertx_http_server_active_requests for good.
 */
final class UnreadBodies implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    ctx.addEndHandler(done -> {
      if (!request.isEnded() && ctx.response().ended()) {
        HttpConnection connection = request.connection();
        if (connection instanceof Http1xServerConnection http1 && http1.metrics() != null
            && request instanceof HttpServerRequestInternal internal && internal.metric() != null) {
          http1.metrics().requestReset(internal.metric());
        }
        connection.close();
      }
    });
    ctx.next();
  }
}
