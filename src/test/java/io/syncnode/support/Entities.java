package io.syncnode.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** JSON bodies of requests, built the way contextfs clients send them. */
public final class Entities {
  private Entities() {}

  public static JsonObject clock(Object... deviceThenCounter) {
    JsonObject clock = new JsonObject();
    for (int i = 0; i < deviceThenCounter.length; i += 2) {
      clock.put((String) deviceThenCounter[i], deviceThenCounter[i + 1]);
    }
    return clock;
  }

  public static JsonObject memory(String id, String content, JsonObject clock) {
    return new JsonObject().put("id", id).put("content", content).put("vector_clock", clock)
        .put("updated_at", "2025-12-02T10:00:00.250000Z");
  }

  public static JsonObject session(String id, String summary, JsonObject clock) {
    return new JsonObject().put("id", id).put("summary", summary).put("vector_clock", clock);
  }

  public static JsonObject edge(String from, String to, String relation, JsonObject clock) {
    return new JsonObject().put("id", from + ":" + to + ":" + relation).put("from_id", from).put("to_id", to)
        .put("relation", relation).put("vector_clock", clock);
  }

  public static JsonObject push(String device, JsonArray memories, JsonArray sessions, JsonArray edges) {
    return new JsonObject().put("device_id", device).put("memories", memories).put("sessions", sessions)
        .put("edges", edges);
  }

  public static JsonObject pushMemories(String device, JsonObject... memories) {
    return push(device, new JsonArray(java.util.List.of((Object[]) memories)), new JsonArray(), new JsonArray());
  }

  public static JsonObject pull(String device, String since, int limit, long offset) {
    return new JsonObject().put("device_id", device).put("since_timestamp", since).put("limit", limit)
        .put("offset", offset);
  }
}
