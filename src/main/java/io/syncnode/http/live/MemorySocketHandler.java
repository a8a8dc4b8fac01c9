package io.syncnode.http.live;

import io.syncnode.auth.ApiKeys;
import io.syncnode.auth.RequestRateLimiter;
import io.syncnode.config.NodeConfig.LiveConfig;
import io.syncnode.http.common.ApiError;
import io.syncnode.http.common.ErrorResponder;
import io.syncnode.http.common.Tenancy;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * GET /ws/memories: a WebSocket that tells a tenant's clients of memory changes as they happen.
 * With auth.mode=api-key the key comes as the {@code api_key} query parameter (browsers cannot
 * set headers on a WebSocket) or as on /api routes; a missing or invalid key closes the socket
 * with 4001 right after it opens, and so does the revocation of its key later. An address with
 * too many refused keys (auth.failureRate), or a tenant with live.maxConnectionsPerTenant live
 * connections on the node, gets 4029.
 */
public final class MemorySocketHandler implements Handler<RoutingContext> {
  static final short INVALID_KEY = 4001;
  static final short TOO_MANY = 4029;

  private final Supplier<LiveConfig> config;
  private final ApiKeys keys;
  private final RequestRateLimiter failures;
  private final LiveCounters counters;

  /**
   * {@code keys} is null with auth.mode=none: every socket is the default tenant's; {@code failures}
   * limits refused keys per remote address. {@code config} is read as each socket opens (a reloaded
   * live.* applies to the sockets opened after it).
   */
  public MemorySocketHandler(Supplier<LiveConfig> config, ApiKeys keys, RequestRateLimiter failures,
      LiveCounters counters) {
    this.config = config;
    this.keys = keys;
    this.failures = failures;
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
    String address = String.valueOf(request.remoteAddress().hostAddress());
    boolean counted = keys != null && failures.limits() && key != null && !keys.knownValid(key);
    boolean blocked = counted && failures.take(address) > 0;
    request.toWebSocket().onSuccess(ws -> (blocked ? Future.<String>succeededFuture() : tenant(key)).onComplete(tenant -> {
      if (ws.isClosed()) {
        return;
      }
      if (blocked) {
        ws.close(TOO_MANY, "too many refused API keys from this address; retry later");
      } else if (tenant == null) {
        ws.close(INVALID_KEY, key == null ? "API key required" : "Invalid API key");
      } else {
        if (counted) {
          failures.giveBack(address);
        }
        open(ctx, ws, tenant, key);
      }
    }, error -> {
      if (counted) {
        failures.giveBack(address);
      }
      ws.close((short) 1013, "the node cannot check keys now; retry");
    }));
  }

  private void open(RoutingContext ctx, ServerWebSocket ws, String tenant, String key) {
    if (!counters.tryOpen(tenant)) {
      ws.close(TOO_MANY, "too many live connections for this tenant");
      return;
    }
    Tenancy.assign(ctx, tenant);
    MemorySocket socket = new MemorySocket(ctx.vertx(), ws, tenant, config.get(), counters);
    socket.open();
    LiveKeyCheck.watch(ctx.vertx(), keys, key, socket::closing, socket::revoke);
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
