package io.syncnode.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.syncnode.protocol.Responses;
import io.syncnode.protocol.Responses.ConflictInfo;
import io.syncnode.protocol.Responses.DeviceInfo;
import io.syncnode.protocol.Responses.PushedItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Writes the response bodies of the sync endpoints in the protocol's JSON shapes. */
public final class ResponseWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ResponseWriter() {}

  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** Runs {@code body} against a generator and returns the JSON bytes. */
  public static byte[] json(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] deviceInfo(DeviceInfo d) {
    return json(g -> {
      g.writeStartObject();
      g.writeStringField("device_id", d.deviceId());
      g.writeStringField("device_name", d.deviceName());
      g.writeStringField("platform", d.platform());
      g.writeStringField("client_version", d.clientVersion());
      EntityWriter.time(g, "registered_at", d.registeredAt());
      EntityWriter.time(g, "last_sync_at", d.lastSyncAt());
      EntityWriter.time(g, "sync_cursor", d.syncCursor());
      g.writeEndObject();
    });
  }

  /**
   * The start of a push's answer: every field but its lists, then the opening of {@code
   * conflicts}. The elements of the lists follow (see {@link #conflicts}, {@link #pushedItems},
   * {@link #rejectedItems}), separated by {@link #PUSH_PUSHED_ITEMS}, {@link #PUSH_REJECTED_ITEMS}
   * and closed by {@link #PUSH_END}.
   */
  public static byte[] pushHead(Responses.Push p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
      g.writeStartObject();
      g.writeBooleanField("success", p.conflicts() == 0);
      g.writeStringField("status", p.status());
      g.writeNumberField("accepted", p.accepted());
      g.writeNumberField("rejected", p.rejected());
      g.writeNumberField("accepted_memories", p.memories().accepted());
      g.writeNumberField("rejected_memories", p.memories().rejected());
      g.writeNumberField("accepted_sessions", p.sessions().accepted());
      g.writeNumberField("rejected_sessions", p.sessions().rejected());
      g.writeNumberField("accepted_edges", p.edges().accepted());
      g.writeNumberField("rejected_edges", p.edges().rejected());
      EntityWriter.time(g, "server_timestamp", p.serverTimestamp());
      g.writeStringField("message", p.accepted() + " accepted, " + p.rejected() + " rejected, "
          + p.conflicts() + " in conflict");
      g.writeArrayFieldStart("conflicts");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static final byte[] PUSH_PUSHED_ITEMS = "],\"pushed_items\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  public static final byte[] PUSH_REJECTED_ITEMS = "],\"rejected_items\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  public static final byte[] PUSH_END = "]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** Elements of a push's {@code conflicts}, comma-separated, without brackets. */
  public static byte[] conflicts(List<ConflictInfo> conflicts) {
    return elements(g -> {
      for (ConflictInfo c : conflicts) {
        conflict(g, c);
      }
    });
  }

  /** Elements of a push's {@code pushed_items}, comma-separated, without brackets. */
  public static byte[] pushedItems(List<PushedItem> items) {
    return elements(g -> {
      for (PushedItem item : items) {
        g.writeStartObject();
        g.writeStringField("id", item.id());
        g.writeStringField("type", item.type());
        g.writeStringField("summary", item.summary());
        g.writeStringField("namespace_id", item.namespaceId());
        g.writeEndObject();
      }
    });
  }

  /** Elements of a push's {@code rejected_items}, comma-separated, without brackets. */
  public static byte[] rejectedItems(List<Responses.RejectedItem> items) {
    return elements(g -> {
      for (Responses.RejectedItem item : items) {
        g.writeStartObject();
        g.writeStringField("id", item.id());
        g.writeStringField("type", item.type().singular());
        g.writeStringField("field", item.field());
        g.writeStringField("error", item.error());
        g.writeEndObject();
      }
    });
  }

  private static byte[] elements(Body body) {
    byte[] array = json(g -> {
      g.writeStartArray();
      body.write(g);
      g.writeEndArray();
    });
    return java.util.Arrays.copyOfRange(array, 1, array.length - 1);
  }

  private static void conflict(JsonGenerator g, ConflictInfo c) throws IOException {
    g.writeStartObject();
    g.writeStringField("entity_id", c.entityId());
    g.writeStringField("entity_type", c.entityType().singular());
    g.writeFieldName("client_clock");
    ClockJson.write(g, c.clientClock());
    g.writeFieldName("server_clock");
    ClockJson.write(g, c.serverClock());
    g.writeStringField("client_content", c.clientContent());
    g.writeStringField("server_content", c.serverContent());
    EntityWriter.time(g, "client_updated_at", c.clientUpdatedAt());
    EntityWriter.time(g, "server_updated_at", c.serverUpdatedAt());
    g.writeEndObject();
  }

  public static byte[] status(Responses.Status s) {
    return json(g -> {
      g.writeStartObject();
      g.writeStringField("device_id", s.deviceId());
      EntityWriter.time(g, "last_sync_at", s.lastSyncAt());
      g.writeNumberField("pending_push_count", 0);
      g.writeNumberField("pending_pull_count", s.pendingMemories());
      EntityWriter.time(g, "server_timestamp", s.serverTimestamp());
      g.writeNumberField("pending_pull_memories", s.pendingMemories());
      g.writeNumberField("pending_pull_sessions", s.pendingSessions());
      g.writeNumberField("pending_pull_edges", s.pendingEdges());
      g.writeEndObject();
    });
  }

  /** The error body every 4xx and 5xx carries: {error, detail, field}. */
  public static byte[] error(String error, String detail, String field) {
    return json(g -> {
      g.writeStartObject();
      g.writeStringField("error", error);
      g.writeStringField("detail", detail);
      g.writeStringField("field", field);
      g.writeEndObject();
    });
  }

}
