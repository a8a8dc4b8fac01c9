package io.syncnode.http.live;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Closes a client's connection at once, dropping whatever is still queued for it. Vert.x's own
 * close first sends what is queued (and a WebSocket's close frame after it), which never happens
 * for a client that stopped reading. Closing from the connection's handler context passes that
 * handler by (closing the channel itself would go through it).
 */
public final class ForcedClose {
  /** How long a dropped client has to read what was queued for it, its last words included. */
  static final long GRACE_MS = 10_000;

  private ForcedClose() {}

  public static void webSocket(ServerWebSocket ws) {
    if (ws instanceof WebSocketInternal internal) {
      internal.channelHandlerContext().close();
    } else {
      ws.close();
    }
  }

  public static void connection(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channelHandlerContext().close();
    } else {
      connection.close();
    }
  }
}
