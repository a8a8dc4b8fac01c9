package io.syncnode.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.syncnode.protocol.Edge;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.VectorClock;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/** Writes entities in the protocol's JSON shape. */
public final class EntityWriter {
  private EntityWriter() {}

  public static void write(JsonGenerator g, SyncEntity entity) throws IOException {
    if (entity instanceof Memory m) {
      memory(g, m);
    } else if (entity instanceof Session s) {
      session(g, s);
    } else {
      edge(g, (Edge) entity);
    }
  }

  public static void memory(JsonGenerator g, Memory m) throws IOException {
    g.writeStartObject();
    common(g, m);
    g.writeStringField("content", m.content());
    g.writeStringField("type", m.type());
    g.writeArrayFieldStart("tags");
    for (String tag : m.tags()) {
      g.writeString(tag);
    }
    g.writeEndArray();
    g.writeStringField("summary", m.summary());
    g.writeStringField("namespace_id", m.namespaceId());
    g.writeStringField("repo_url", m.repoUrl());
    g.writeStringField("repo_name", m.repoName());
    g.writeStringField("relative_path", m.relativePath());
    g.writeStringField("source_file", m.sourceFile());
    g.writeStringField("source_repo", m.sourceRepo());
    g.writeStringField("source_tool", m.sourceTool());
    g.writeStringField("project", m.project());
    g.writeStringField("session_id", m.sessionId());
    g.writeFieldName("metadata");
    g.writeRawValue(m.metadata().text());
    g.writeFieldName("embedding");
    if (m.embedding() == null) {
      g.writeNull();
    } else {
      g.writeStartArray();
      for (float value : m.embedding()) {
        g.writeNumber(value);
      }
      g.writeEndArray();
    }
    // Clients declare these two as non-null with defaults: omit them rather than send null.
    if (m.encrypted() != null) {
      g.writeBooleanField("encrypted", m.encrypted());
    }
    if (m.visibility() != null) {
      g.writeStringField("visibility", m.visibility());
    }
    g.writeEndObject();
  }

  public static void session(JsonGenerator g, Session s) throws IOException {
    g.writeStartObject();
    common(g, s);
    g.writeStringField("label", s.label());
    g.writeStringField("namespace_id", s.namespaceId());
    g.writeStringField("tool", s.tool());
    g.writeStringField("repo_url", s.repoUrl());
    g.writeStringField("repo_name", s.repoName());
    g.writeStringField("repo_path", s.repoPath());
    g.writeStringField("branch", s.branch());
    time(g, "started_at", s.startedAt());
    time(g, "ended_at", s.endedAt());
    g.writeStringField("summary", s.summary());
    g.writeFieldName("metadata");
    g.writeRawValue(s.metadata().text());
    g.writeEndObject();
  }

  public static void edge(JsonGenerator g, Edge e) throws IOException {
    g.writeStartObject();
    common(g, e);
    g.writeStringField("from_id", e.fromId());
    g.writeStringField("to_id", e.toId());
    g.writeStringField("relation", e.relation());
    g.writeNumberField("weight", e.weight());
    g.writeStringField("created_by", e.createdBy());
    g.writeFieldName("metadata");
    g.writeRawValue(e.metadata().text());
    g.writeEndObject();
  }

  private static void common(JsonGenerator g, SyncEntity entity) throws IOException {
    g.writeStringField("id", entity.id());
    g.writeFieldName("vector_clock");
    clock(g, entity.vectorClock());
    g.writeStringField("content_hash", entity.contentHash());
    time(g, "deleted_at", entity.deletedAt());
    time(g, "created_at", entity.createdAt());
    time(g, "updated_at", entity.updatedAt());
    g.writeStringField("last_modified_by", entity.lastModifiedBy());
  }

  public static void clock(JsonGenerator g, VectorClock clock) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, Long> e : clock.counters().entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  public static void time(JsonGenerator g, String field, Instant value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, Timestamps.format(value));
    }
  }
}
