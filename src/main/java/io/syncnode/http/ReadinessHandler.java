package io.syncnode.http;

import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.worker.api.DeviceApi;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * GET /ready: 200 when the pool reaches PostgreSQL, the schema is at this node's version and
 * (when clustered) the node is in its cluster, with at least cluster.minMembers members; else 503
 * naming the failing check (for the cluster, the member count it sees). A node whose
 * database goes away turns unready, and ready again by itself when it returns.
 */
final class ReadinessHandler implements Handler<RoutingContext> {
  static final long CHECK_TIMEOUT_MS = 3_000;

  private final DeviceApi devices;
  private final Supplier<String> inCluster;

  /** {@code devices} answers the database checks; give it a short timeout, a probe must not hang. */
  ReadinessHandler(DeviceApi devices, Supplier<String> inCluster) {
    this.devices = devices;
    this.inCluster = inCluster;
  }

  /** The node's checks: {@code "ok"}, or what is wrong, for each. */
  record Checks(String database, String migrations, String cluster) {
    boolean ready() {
      return database.equals("ok") && migrations.equals("ok") && cluster.equals("ok");
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    check(devices, inCluster).onSuccess(checks -> answer(ctx, checks));
  }

  /** Runs the checks (also for the syncnode_ready gauge at each scrape); the future never fails. */
  static Future<Checks> check(DeviceApi devices, Supplier<String> inCluster) {
    return devices.schemaCurrent()
        .transform(reply -> {
          String cluster = inCluster.get();
          if (reply.failed()) {
            return Future.succeededFuture(new Checks("unreachable: " + reply.cause().getMessage(), "unknown", cluster));
          }
          return Future.succeededFuture(new Checks("ok",
              reply.result() ? "ok" : "the database schema is not at this node's version", cluster));
        });
  }

  private static void answer(RoutingContext ctx, Checks checks) {
    boolean ready = checks.ready();
    byte[] body = ResponseWriter.json(g -> {
      g.writeStartObject();
      g.writeStringField("status", ready ? "ready" : "not_ready");
      g.writeObjectFieldStart("checks");
      g.writeStringField("database", checks.database());
      g.writeStringField("migrations", checks.migrations());
      g.writeStringField("cluster", checks.cluster());
      g.writeEndObject();
      g.writeEndObject();
    });
    ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body));
  }
}
