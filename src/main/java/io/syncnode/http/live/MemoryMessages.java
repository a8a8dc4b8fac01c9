package io.syncnode.http.live;

import io.syncnode.worker.api.ChangeEvent;
import io.syncnode.worker.api.ChangeOp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of GET /ws/memories, in the shapes contextfs clients read: {@code {"type": ...,
 * "data": {...}}}. Created memories are announced together ({@code count} and {@code memory_ids}),
 * updated and deleted ones each on its own ({@code memory_id}).
 */
final class MemoryMessages {
  /** Most ids in one memory_created message, so that no message is large. */
  static final int MAX_IDS = 1000;

  private MemoryMessages() {}

  static String connected(String tenant, long pingIntervalMs) {
    return message("connected", new JsonObject().put("tenant", tenant).put("ping_interval_ms", pingIntervalMs));
  }

  static String ping() {
    return new JsonObject().put("type", "ping").encode();
  }

  static String pong() {
    return new JsonObject().put("type", "pong").encode();
  }

  /** The messages of one change event of memories, in the event's order. */
  static List<String> of(ChangeEvent event) {
    List<String> messages = new ArrayList<>();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < event.ids().size(); i++) {
      String id = event.ids().get(i);
      ChangeOp op = event.ops().get(i);
      if (op == ChangeOp.CREATED) {
        created.add(id);
        if (created.size() == MAX_IDS) {
          messages.add(created(created));
          created.clear();
        }
        continue;
      }
      if (!created.isEmpty()) {
        messages.add(created(created));
        created.clear();
      }
      messages.add(message(op == ChangeOp.DELETED ? "memory_deleted" : "memory_updated",
          new JsonObject().put("memory_id", id)));
    }
    if (!created.isEmpty()) {
      messages.add(created(created));
    }
    return messages;
  }

  private static String created(List<String> ids) {
    return message("memory_created",
        new JsonObject().put("count", ids.size()).put("memory_ids", new JsonArray(new ArrayList<>(ids))));
  }

  private static String message(String type, JsonObject data) {
    return new JsonObject().put("type", type).put("data", data).encode();
  }
}
