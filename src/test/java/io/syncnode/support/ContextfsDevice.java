package io.syncnode.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One device running the contextfs client, sending exactly what its SyncClient sends: the local
 * store it keeps (memories with their clocks, sessions with their {@code started_at}, edges with
 * their local {@code created_at}), the diff manifest and the push by ids of {@code sync all}, the
 * push of everything changed since its last sync timestamp, and the pull paging loop. Calls block
 * the test thread.
 */
public final class ContextfsDevice {
  private final TestNode node;
  private final String apiKey;
  public final String id;
  private final List<String> namespaceIds;
  /** id -> {content, updated_at, deleted_at, clock}; a clock is null until the memory was synced. */
  public final Map<String, JsonObject> memories = new LinkedHashMap<>();
  /** id -> {started_at, summary, clock}. */
  public final Map<String, JsonObject> sessions = new LinkedHashMap<>();
  /** "from:to:relation" -> {from_id, to_id, relation, created_at, clock}. */
  public final Map<String, JsonObject> edges = new LinkedHashMap<>();
  /** The client's _last_sync: the server_timestamp of its last push, pull or diff. */
  public String lastSync;

  public ContextfsDevice(TestNode node, String id, List<String> namespaceIds, String apiKey) {
    this.node = node;
    this.id = id;
    this.namespaceIds = namespaceIds;
    this.apiKey = apiKey;
  }

  /** What one {@code sync all} moved: entities received, ids deleted locally, entities pushed. */
  public record Round(JsonObject diff, int received, int deleted, int pushed, JsonObject push) {
    public int transferred() {
      return received + deleted + pushed;
    }
  }

  public static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
  }

  public static String contentHash(String content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public void remember(String memoryId, String content) {
    memories.put(memoryId, new JsonObject().put("content", content).put("updated_at", now()).putNull("clock")
        .put("namespace_id", namespace()));
  }

  public void startSession(String sessionId) {
    sessions.put(sessionId, new JsonObject().put("started_at", now()).put("summary", "session " + sessionId)
        .put("namespace_id", namespace()).putNull("clock"));
  }

  public void link(String from, String to, String relation) {
    edges.put(from + ":" + to + ":" + relation, new JsonObject().put("from_id", from).put("to_id", to)
        .put("relation", relation).put("created_at", now()).putNull("clock"));
  }

  /** A local delete: the memory stays in the store with deleted_at set (what the manifest then sends). */
  public void forget(String memoryId) {
    memories.get(memoryId).put("deleted_at", now()).put("updated_at", now());
  }

  private String namespace() {
    return namespaceIds == null ? "global" : namespaceIds.get(0);
  }

  public JsonObject register() {
    return post("register", new JsonObject().put("device_id", id).put("device_name", id).put("platform", "linux")
        .put("client_version", "0.1.0"));
  }

  /** The manifest of {@code _build_manifest}: memories with hash, updated_at, deleted_at; sessions and edges by time only. */
  public JsonObject manifest() {
    JsonArray memoryEntries = new JsonArray();
    memories.forEach((memoryId, m) -> memoryEntries.add(new JsonObject().put("id", memoryId)
        .put("content_hash", contentHash(m.getString("content"))).put("updated_at", m.getString("updated_at"))
        .put("deleted_at", m.getString("deleted_at"))));
    JsonArray sessionEntries = new JsonArray();
    sessions.forEach((sessionId, s) -> sessionEntries.add(new JsonObject().put("id", sessionId)
        .putNull("content_hash").put("updated_at", s.getString("started_at")).putNull("deleted_at")));
    JsonArray edgeEntries = new JsonArray();
    edges.forEach((edgeId, e) -> edgeEntries.add(new JsonObject().put("id", edgeId)
        .putNull("content_hash").put("updated_at", e.getString("created_at")).putNull("deleted_at")));
    return new JsonObject().put("device_id", id).put("memories", memoryEntries).put("sessions", sessionEntries)
        .put("edges", edgeEntries).put("namespace_ids", namespaceIds == null ? null : new JsonArray(namespaceIds));
  }

  /** {@code sync all}: register, diff, apply what the server sent, push what it lacks by ids. */
  public Round syncAll() {
    register();
    JsonObject diff = post("diff", manifest());
    int received = 0;
    for (Object o : diff.getJsonArray("missing_memories")) {
      applyMemory((JsonObject) o);
      received++;
    }
    for (Object o : diff.getJsonArray("missing_sessions")) {
      applySession((JsonObject) o);
      received++;
    }
    for (Object o : diff.getJsonArray("missing_edges")) {
      applyEdge((JsonObject) o);
      received++;
    }
    int deleted = 0;
    for (Object o : diff.getJsonArray("deleted_memory_ids")) {
      JsonObject local = memories.get((String) o);
      if (local != null && local.getString("deleted_at") == null) {
        local.put("deleted_at", now());
        deleted++;
      }
    }
    for (Object o : diff.getJsonArray("deleted_session_ids")) {
      deleted += sessions.remove((String) o) != null ? 1 : 0;
    }
    // the client leaves deleted edges alone (it has no edge deletion)
    List<String> memoryIds = strings(diff.getJsonArray("server_missing_memory_ids"));
    List<String> sessionIds = strings(diff.getJsonArray("server_missing_session_ids"));
    List<String> edgeIds = strings(diff.getJsonArray("server_missing_edge_ids"));
    JsonObject push = null;
    int pushed = memoryIds.size() + sessionIds.size() + edgeIds.size();
    if (pushed > 0) {
      push = pushEntities(memoryIds, sessionIds, edgeIds);
    }
    return new Round(diff, received, deleted, pushed, push);
  }

  /** {@code sync push}: every memory never synced or changed since the last sync, sessions and edges by their own times. */
  public JsonObject pushChanges() {
    List<String> memoryIds = new ArrayList<>();
    memories.forEach((memoryId, m) -> {
      if (m.getString("deleted_at") == null
          && (lastSync == null || m.getJsonObject("clock") == null || after(m.getString("updated_at"), lastSync))) {
        memoryIds.add(memoryId);
      }
    });
    List<String> sessionIds = new ArrayList<>();
    sessions.forEach((sessionId, s) -> {
      if (lastSync == null || after(s.getString("started_at"), lastSync)) {
        sessionIds.add(sessionId);
      }
    });
    List<String> edgeIds = new ArrayList<>();
    edges.forEach((edgeId, e) -> {
      if (lastSync == null || after(e.getString("created_at"), lastSync)) {
        edgeIds.add(edgeId);
      }
    });
    return pushEntities(memoryIds, sessionIds, edgeIds);
  }

  /** What {@link #pushChanges()} would send now, without sending it. */
  public int pendingPush() {
    int[] count = {0};
    memories.forEach((memoryId, m) -> count[0] += m.getString("deleted_at") == null
        && (lastSync == null || m.getJsonObject("clock") == null || after(m.getString("updated_at"), lastSync)) ? 1 : 0);
    sessions.forEach((sessionId, s) -> count[0] += lastSync == null || after(s.getString("started_at"), lastSync) ? 1 : 0);
    edges.forEach((edgeId, e) -> count[0] += lastSync == null || after(e.getString("created_at"), lastSync) ? 1 : 0);
    return count[0];
  }

  private static boolean after(String time, String than) {
    return Instant.parse(time).isAfter(Instant.parse(than));
  }

  private JsonObject pushEntities(List<String> memoryIds, List<String> sessionIds, List<String> edgeIds) {
    Map<String, JsonObject> memoryClocks = new LinkedHashMap<>();
    JsonArray memoryList = new JsonArray();
    for (String memoryId : memoryIds) {
      JsonObject m = memories.get(memoryId);
      JsonObject clock = increment(m.getJsonObject("clock"));
      memoryClocks.put(memoryId, clock);
      memoryList.add(new JsonObject().put("id", memoryId).put("content", m.getString("content")).put("type", "fact")
          .put("tags", new JsonArray()).putNull("summary").put("namespace_id", m.getString("namespace_id"))
          .putNull("repo_url").putNull("repo_name").putNull("relative_path").putNull("source_file")
          .putNull("source_repo").putNull("source_tool").putNull("project").putNull("session_id")
          .put("created_at", m.getString("updated_at")).put("updated_at", m.getString("updated_at"))
          .put("vector_clock", clock).put("content_hash", contentHash(m.getString("content")))
          // the client's push has no tombstones: a memory goes out alive even when deleted locally
          .putNull("deleted_at").putNull("last_modified_by")
          .put("metadata", new JsonObject()).putNull("embedding").put("encrypted", false)
          .put("visibility", "team_read"));
    }
    JsonArray sessionList = new JsonArray();
    for (String sessionId : sessionIds) {
      JsonObject s = sessions.get(sessionId);
      JsonObject clock = increment(s.getJsonObject("clock"));
      s.put("clock", clock);
      sessionList.add(new JsonObject().put("id", sessionId).putNull("label").put("namespace_id", s.getString("namespace_id"))
          .put("tool", "contextfs").putNull("repo_url").putNull("repo_name").putNull("repo_path").putNull("branch")
          .put("started_at", s.getString("started_at")).putNull("ended_at").put("summary", s.getString("summary"))
          .put("created_at", now()).put("updated_at", now()).put("vector_clock", clock).putNull("content_hash")
          .putNull("deleted_at").putNull("last_modified_by").put("metadata", new JsonObject()));
    }
    JsonArray edgeList = new JsonArray();
    for (String edgeId : edgeIds) {
      JsonObject e = edges.get(edgeId);
      JsonObject clock = increment(e.getJsonObject("clock"));
      e.put("clock", clock);
      edgeList.add(new JsonObject().put("id", edgeId).put("from_id", e.getString("from_id"))
          .put("to_id", e.getString("to_id")).put("relation", e.getString("relation")).put("weight", 1.0)
          .putNull("created_by").put("created_at", now()).put("updated_at", now()).put("vector_clock", clock)
          .putNull("content_hash").putNull("deleted_at").putNull("last_modified_by").put("metadata", new JsonObject()));
    }
    JsonObject response = post("push", new JsonObject().put("device_id", id).put("memories", memoryList)
        .put("sessions", sessionList).put("edges", edgeList).put("last_sync_timestamp", lastSync)
        .put("force", false));
    lastSync = response.getString("server_timestamp");
    if (response.getInteger("accepted") > 0) {
      memoryClocks.forEach((memoryId, clock) -> memories.get(memoryId).put("clock", clock));
    }
    return response;
  }

  private JsonObject increment(JsonObject clock) {
    JsonObject next = clock == null ? new JsonObject() : clock.copy();
    next.put(id, next.getLong(id, 0L) + 1);
    return next;
  }

  /** {@code sync pull}: pages with offset and the same since_timestamp, then keeps the last page's server_timestamp. */
  public PulledPages pull() {
    PulledPages pages = new PulledPages();
    String since = lastSync;
    long offset = 0;
    while (true) {
      JsonObject page = post("pull", new JsonObject().put("device_id", id).put("since_timestamp", since)
          .put("namespace_ids", namespaceIds == null ? null : new JsonArray(namespaceIds)).putNull("backend_type")
          .put("limit", 1000).put("offset", offset));
      pages.add(page);
      page.getJsonArray("memories").forEach(o -> applyMemory((JsonObject) o));
      page.getJsonArray("sessions").forEach(o -> applySession((JsonObject) o));
      page.getJsonArray("edges").forEach(o -> applyEdge((JsonObject) o));
      if (!page.getBoolean("has_more")) {
        lastSync = page.getString("server_timestamp");
        return pages;
      }
      offset = page.getLong("next_offset");
    }
  }

  /**
   * Pulls (as {@link #pull()}) until {@code done} holds, at most for a few seconds, and returns every
   * page pulled. A pull serves the feed up to its safe bound, which any open write transaction on
   * the PostgreSQL server holds back for a moment: a change just committed may come one pull later.
   */
  public PulledPages pullUntil(java.util.function.BooleanSupplier done) {
    PulledPages all = new PulledPages();
    for (int attempt = 0; attempt < 50; attempt++) {
      pull().pages.forEach(all::add);
      if (done.getAsBoolean()) {
        return all;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return all;
  }

  public JsonObject status() {
    return post("status", new JsonObject().put("device_id", id));
  }

  private void applyMemory(JsonObject m) {
    if (m.getString("deleted_at") != null) {
      JsonObject local = memories.get(m.getString("id"));
      if (local != null) {
        local.put("deleted_at", m.getString("deleted_at"));
      }
      return;
    }
    memories.put(m.getString("id"), new JsonObject().put("content", m.getString("content"))
        .put("updated_at", m.getString("updated_at")).put("clock", m.getJsonObject("vector_clock"))
        .put("namespace_id", m.getString("namespace_id")));
  }

  private void applySession(JsonObject s) {
    if (s.getString("deleted_at") != null) {
      sessions.remove(s.getString("id"));
      return;
    }
    sessions.put(s.getString("id"), new JsonObject().put("started_at", s.getString("started_at"))
        .put("summary", s.getString("summary")).put("namespace_id", s.getString("namespace_id"))
        .put("clock", s.getJsonObject("vector_clock")));
  }

  /** An edge the client did not have gets its local created_at (CURRENT_TIMESTAMP); one it had keeps it. */
  private void applyEdge(JsonObject e) {
    String edgeId = e.getString("from_id") + ":" + e.getString("to_id") + ":" + e.getString("relation");
    if (e.getString("deleted_at") != null) {
      edges.remove(edgeId);
      return;
    }
    JsonObject local = edges.get(edgeId);
    if (local == null) {
      edges.put(edgeId, new JsonObject().put("from_id", e.getString("from_id")).put("to_id", e.getString("to_id"))
          .put("relation", e.getString("relation")).put("created_at", now()).put("clock", e.getJsonObject("vector_clock")));
    } else {
      local.put("clock", e.getJsonObject("vector_clock"));
    }
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(o -> out.add((String) o));
    return out;
  }

  public JsonObject post(String endpoint, JsonObject body) {
    try {
      var request = node.client.post("/api/sync/" + endpoint).putHeader("Content-Type", "application/json");
      if (apiKey != null) {
        request.putHeader("X-API-Key", apiKey);
      }
      HttpResponse<Buffer> response = Await.await(request.sendBuffer(body.toBuffer()));
      assertThat(response.statusCode()).as(endpoint + " answered " + response.bodyAsString()).isEqualTo(200);
      return response.bodyAsJsonObject();
    } catch (Exception e) {
      throw new IllegalStateException(endpoint + " failed", e);
    }
  }
}
