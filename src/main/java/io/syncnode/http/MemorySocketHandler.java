package io.syncnode.http;

import io.syncnode.config.NodeConfig.LiveConfig;
import java.util.function.Supplier;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /ws/memories: a WebSocket that tells a tenant's clients of memory changes as they happen.
 * With auth.mode=api-key the key comes as the {@code api_key} query parameter (browsers cannot
 * set headers on a WebSocket) or as on /api routes; a missing or invalid key closes the socket
 * with 4001 right after it opens.
 */
final class MemorySocketHandler implements Handler<RoutingContext> {
  static final short INVALID_KEY = 4001;

  private final Supplier<LiveConfig> config;
  private final ApiKeys keys;
  private final LiveCounters counters;

  /**
   * {@code keys} is null with auth.mode=none: every socket is the default tenant's. {@code config}
   * is read as each socket opens (a reloaded live.* applies to the sockets opened after it).
   */
  MemorySocketHandler(Supplier<LiveConfig> config, ApiKeys keys, LiveCounters counters) {
    this.config = config;
    this.keys = keys;
    this.counters = counters;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      ctx.response().putHeader("Upgrade", "websocket");
      ErrorResponder.send(ctx, new ApiError(426, "upgrade_required", "this endpoint speaks WebSocket", null));
      return;
    }
    String presented = request.getParam("api_key");
    if (presented == null || presented.isBlank()) {
      presented = ApiKeys.fromHeaders(request);
    }
    String key = presented;
    request.toWebSocket().onSuccess(ws -> tenant(key).onComplete(tenant -> {
      if (ws.isClosed()) {
        return;
      }
      if (tenant == null) {
        ws.close(INVALID_KEY, key == null ? "API key required" : "Invalid API key");
      } else {
        Tenancy.assign(ctx, tenant);
        new MemorySocket(ctx.vertx(), ws, tenant, config.get(), counters).open();
      }
    }, error -> ws.close((short) 1013, "the node cannot check keys now; retry")));
  }

  private Future<String> tenant(String presented) {
    if (keys == null) {
      return Future.succeededFuture(Tenancy.DEFAULT_TENANT);
    }
    if (presented == null) {
      return Future.succeededFuture();
    }
    return keys.resolve(presented).map(caller -> caller == null ? null : caller.tenant());
  }
}
