package io.syncnode.http;

import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.worker.api.DatabaseReport;
import io.syncnode.worker.api.DeviceApi;
import io.syncnode.worker.api.ReplicaState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * GET /ready: 200 when the pool reaches PostgreSQL's primary, the schema is at this node's version and
 * (when clustered) the node is in its cluster, with at least cluster.minMembers members; else 503
 * naming the failing check (for the cluster, the member count it sees). A node whose
 * database goes away turns unready, and ready again by itself when it returns (or, with several
 * pg.hosts, once it has found the new primary). It also names the primary written to and each
 * replica's lag, and why a replica serves no reads when it does not.
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

  /** The node's checks: {@code "ok"}, or what is wrong, for each; and the servers, when the primary answered. */
  record Checks(String database, String migrations, String cluster, DatabaseReport servers) {
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
    return devices.readiness()
        .transform(reply -> {
          String cluster = inCluster.get();
          if (reply.failed()) {
            return Future.succeededFuture(new Checks("unreachable: " + reply.cause().getMessage(), "unknown", cluster,
                null));
          }
          DatabaseReport report = reply.result();
          return Future.succeededFuture(new Checks(report.problem() == null ? "ok" : report.problem(),
              report.schemaCurrent() ? "ok" : "the database schema is not at this node's version", cluster, report));
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
      if (checks.servers() != null) {
        g.writeObjectFieldStart("database");
        g.writeStringField("primary", checks.servers().primary());
        g.writeArrayFieldStart("replicas");
        for (ReplicaState replica : checks.servers().replicas()) {
          g.writeStartObject();
          g.writeStringField("address", replica.address());
          if (replica.lagMs() >= 0) {
            g.writeNumberField("lagMs", replica.lagMs());
          } else {
            g.writeNullField("lagMs");
          }
          g.writeStringField("state", replica.problem() == null ? "serving reads" : replica.problem());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
    });
    ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(body));
  }
}
