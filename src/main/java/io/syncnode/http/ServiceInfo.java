package io.syncnode.http;

import io.syncnode.config.Version;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.json.ResponseWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** GET /health and GET /: liveness, and what this service is. */
final class ServiceInfo {
  static final String SERVICE = "syncnode";
  private static final String[][] ENDPOINTS = {
      {"POST", "/api/sync/register", "register or update a device"},
      {"POST", "/api/sync/push", "push memories, sessions and edges; vector clocks decide"},
      {"POST", "/api/sync/pull", "pull changes in the server's order, page by page"},
      {"POST", "/api/sync/status", "a device's last sync and pending changes"},
      {"POST", "/api/sync/diff", "compare a manifest of ids and content hashes with the server"},
      {"POST", "/api/sync/merkle", "bucket hashes of ids and content hashes, for comparing large stores"},
      {"GET", "/api/sync/events", "server-sent events: every change of the tenant, resumable with Last-Event-ID"},
      {"GET", "/api/auth/encryption-salt", "the tenant's end-to-end encryption salt (404: encryption off)"},
      {"GET", "/ws/memories", "WebSocket: memory_created, memory_updated, memory_deleted as they happen"},
      {"GET", "/health", "liveness"},
      {"GET", "/ready", "readiness: database, schema, cluster"},
      {"GET", "/openapi.json", "the OpenAPI description of every endpoint"},
      {"GET", "/metrics", "metrics in the Prometheus text format (unless metrics.enabled is false)"},
  };

  private ServiceInfo() {}

  static void health(RoutingContext ctx) {
    json(ctx, ResponseWriter.json(g -> {
      g.writeStartObject();
      g.writeStringField("status", "healthy");
      g.writeStringField("service", SERVICE);
      g.writeStringField("version", Version.current());
      g.writeStringField("timestamp", Timestamps.format(Timestamps.now()));
      g.writeEndObject();
    }));
  }

  static void root(RoutingContext ctx) {
    json(ctx, ResponseWriter.json(g -> {
      g.writeStartObject();
      g.writeStringField("service", SERVICE);
      g.writeStringField("version", Version.current());
      g.writeStringField("description",
          "Clustered sync server for AI-assistant memory, speaking the contextfs sync protocol");
      g.writeArrayFieldStart("endpoints");
      for (String[] endpoint : ENDPOINTS) {
        g.writeStartObject();
        g.writeStringField("method", endpoint[0]);
        g.writeStringField("path", endpoint[1]);
        g.writeStringField("description", endpoint[2]);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  private static void json(RoutingContext ctx, byte[] body) {
    ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
  }
}
