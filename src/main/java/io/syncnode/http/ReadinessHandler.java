package io.syncnode.http;

import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.worker.Addresses;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * GET /ready: 200 when the pool reaches PostgreSQL, the schema is at this node's version and
 * (when clustered) the node is in its cluster, with at least cluster.minMembers members; else 503
 * naming the failing check (for the cluster, the member count it sees). A node whose
 * database goes away turns unready, and ready again by itself when it returns.
 */
final class ReadinessHandler implements Handler<RoutingContext> {
  private static final long CHECK_TIMEOUT_MS = 3_000;

  private final Supplier<String> inCluster;

  ReadinessHandler(Supplier<String> inCluster) {
    this.inCluster = inCluster;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.vertx().eventBus().<Boolean>request(Addresses.READINESS, null,
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(CHECK_TIMEOUT_MS))
        .onComplete(reply -> {
          boolean schema = reply.body();
          answer(ctx, "ok", schema ? "ok" : "the database schema is not at this node's version", inCluster.get());
        }, error -> answer(ctx, "unreachable: " + error.getMessage(), "unknown", inCluster.get()));
  }

  private static void answer(RoutingContext ctx, String database, String migrations, String cluster) {
    boolean ready = database.equals("ok") && migrations.equals("ok") && cluster.equals("ok");
    byte[] body = ResponseWriter.json(g -> {
      g.writeStartObject();
      g.writeStringField("status", ready ? "ready" : "not_ready");
      g.writeObjectFieldStart("checks");
      g.writeStringField("database", database);
      g.writeStringField("migrations", migrations);
      g.writeStringField("cluster", cluster);
      g.writeEndObject();
      g.writeEndObject();
    });
    ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body));
  }
}
