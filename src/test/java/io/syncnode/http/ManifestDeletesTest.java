package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.ContextfsDevice;
import io.syncnode.support.ContextfsDevice.Round;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.PrometheusText;
import io.syncnode.support.PulledPages;
import io.syncnode.support.WsListener;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The newer contextfs client deletes locally and sends the deleted entity in its diff manifest with
 * {@code deleted_at}: the server turns it into a tombstone when the device had seen the stored
 * version, so that the delete reaches the other devices, and never brings it back.
 */
class ManifestDeletesTest extends NodeTestBase {

  private static ContextfsDevice device(String name, String namespace) {
    return new ContextfsDevice(node, unique(name), List.of(namespace), null);
  }

  private static JsonObject stored(String table, String id) throws Exception {
    var rows = await(node.inspect.preparedQuery("SELECT deleted_at, last_modified_by, vector_clock::text AS clock FROM "
        + table + " WHERE id = $1").execute(io.vertx.sqlclient.Tuple.of(id)));
    assertThat(rows.size()).isEqualTo(1);
    var row = rows.iterator().next();
    return new JsonObject().put("deleted", row.getValue("deleted_at") != null)
        .put("last_modified_by", row.getString("last_modified_by")).put("clock", new JsonObject(row.getString("clock")));
  }

  private static JsonObject entry(String id, String hash, String updatedAt, String deletedAt) {
    return new JsonObject().put("id", id).put("content_hash", hash).put("updated_at", updatedAt)
        .put("deleted_at", deletedAt);
  }

  private static JsonObject manifest(String device, String ns, JsonArray memories, JsonArray sessions, JsonArray edges) {
    return new JsonObject().put("device_id", device).put("namespace_ids", new JsonArray().add(ns))
        .put("memories", memories).put("sessions", sessions).put("edges", edges);
  }

  @Test
  void aDeletedMemoryInTheManifestBecomesATombstoneThatReachesTheOtherDevice() throws Exception {
    String ns = unique("ns");
    ContextfsDevice a = device("laptop", ns);
    ContextfsDevice b = device("desktop", ns);
    String m = unique("m");
    String kept = unique("kept");
    a.remember(m, "to be deleted");
    a.remember(kept, "kept");
    a.syncAll();
    b.syncAll();
    b.pullUntil(() -> b.memories.containsKey(m));
    assertThat(b.memories).containsKey(m);
    JsonObject beforeDelete = stored("memories", m);
    JsonObject bManifest = b.manifest();

    a.forget(m);
    Round deleting = a.syncAll();
    JsonObject diff = deleting.diff();
    assertThat(diff.getJsonArray("server_missing_memory_ids")).isEmpty();
    assertThat(deleting.pushed()).isZero();
    assertThat(diff.getJsonObject("applied_deletes").getJsonArray("memory_ids")).containsExactly(m);
    assertThat(diff.getJsonObject("refused_deletes").getJsonArray("memory_ids")).isEmpty();
    JsonObject tombstone = stored("memories", m);
    assertThat(tombstone.getBoolean("deleted")).isTrue();
    assertThat(tombstone.getString("last_modified_by")).isEqualTo(a.id);
    assertThat(tombstone.getJsonObject("clock").getLong(a.id))
        .isEqualTo(beforeDelete.getJsonObject("clock").getLong(a.id) + 1);

    // B hears of it by pull (with deleted_at) and by diff (deleted_memory_ids)
    JsonObject bDiff = b.post("diff", bManifest);
    assertThat(bDiff.getJsonArray("deleted_memory_ids")).containsExactly(m);
    PulledPages pulled = b.pullUntil(() -> b.memories.get(m).getString("deleted_at") != null);
    // (a pull by time may serve again what it served before; the tombstone is what matters)
    assertThat(pulled.memoryIds).contains(m);
    JsonObject pulledTombstone = pulled.pages.stream().flatMap(p -> p.getJsonArray("memories").stream())
        .map(JsonObject.class::cast).filter(e -> e.getString("id").equals(m)).findFirst().orElseThrow();
    assertThat(pulledTombstone.getString("deleted_at")).isNotNull();
    assertThat(b.memories.get(m).getString("deleted_at")).isNotNull();

    // A's next diff has nothing to say of m; nor has the one after B's
    Round again = a.syncAll();
    assertThat(again.transferred()).isZero();
    assertThat(again.diff().getJsonObject("applied_deletes").getJsonArray("memory_ids")).isEmpty();
    assertThat(b.syncAll().transferred()).isZero();
    assertThat(a.syncAll().transferred()).isZero();
  }

  @Test
  void aTombstoneForAVersionTheDeviceHasNotSeenDeletesNothingAndSendsTheNewerVersion() throws Exception {
    String ns = unique("ns");
    ContextfsDevice a = device("laptop", ns);
    ContextfsDevice b = device("desktop", ns);
    String m = unique("m");
    a.remember(m, "first version");
    a.syncAll();
    b.syncAll();
    // B edits m, A deletes the version it had
    b.memories.get(m).put("content", "edited on the desktop").put("updated_at", ContextfsDevice.now());
    b.pushChanges();
    a.forget(m);
    Round round = a.syncAll();
    JsonObject diff = round.diff();
    assertThat(diff.getJsonObject("applied_deletes").getJsonArray("memory_ids")).isEmpty();
    assertThat(diff.getJsonObject("refused_deletes").getJsonArray("memory_ids")).containsExactly(m);
    assertThat(diff.getJsonArray("missing_memories")).hasSize(1);
    assertThat(diff.getJsonArray("missing_memories").getJsonObject(0).getString("content"))
        .isEqualTo("edited on the desktop");
    assertThat(diff.getJsonArray("server_missing_memory_ids")).isEmpty();
    assertThat(stored("memories", m).getBoolean("deleted")).isFalse();
    assertThat(a.memories.get(m).getString("content")).isEqualTo("edited on the desktop");

    String metrics = await(node.client.get("/metrics").send()).bodyAsString();
    PrometheusText text = PrometheusText.parse(metrics);
    assertThat(text.value("syncnode_manifest_deletes_total", java.util.Map.of("type", "memory", "outcome", "refused")))
        .hasValueSatisfying(count -> assertThat(count).isGreaterThanOrEqualTo(1.0));
  }

  @Test
  void aTombstoneForAnIdTheServerDoesNotHaveIsNeitherStoredNorReported() throws Exception {
    String ns = unique("ns");
    String device = unique("dev");
    String unknown = unique("never-pushed");
    JsonObject diff = await(call("diff", manifest(device, ns,
        new JsonArray().add(entry(unknown, "0af4b48223e10f4a", ContextfsDevice.now(), ContextfsDevice.now())),
        new JsonArray().add(entry(unique("s"), null, ContextfsDevice.now(), ContextfsDevice.now())),
        new JsonArray().add(entry(unique("a") + ":b:rel", null, ContextfsDevice.now(), ContextfsDevice.now())))));
    assertThat(diff.getInteger("total_server_missing")).isZero();
    assertThat(diff.getInteger("total_missing")).isZero();
    assertThat(diff.getJsonObject("applied_deletes").getJsonArray("memory_ids")).isEmpty();
    var rows = await(node.inspect.preparedQuery("SELECT count(*) FROM memories WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(unknown)));
    assertThat(rows.iterator().next().getLong(0)).isZero();
  }

  @Test
  void sessionsAndEdgesAreDeletedByTheirManifestEntriesToo() throws Exception {
    String ns = unique("ns");
    ContextfsDevice a = device("laptop", ns);
    ContextfsDevice b = device("desktop", ns);
    String from = unique("from");
    String to = unique("to");
    String session = unique("s");
    a.remember(from, "from");
    a.remember(to, "to");
    a.startSession(session);
    a.link(from, to, "related_to");
    a.syncAll();
    b.syncAll();
    String edge = from + ":" + to + ":related_to";
    JsonObject bManifest = b.manifest();

    // the client's manifest times for sessions and edges are its own: presence decides
    JsonObject diff = a.post("diff", manifest(a.id, ns, new JsonArray(),
        new JsonArray().add(entry(session, null, a.sessions.get(session).getString("started_at"), ContextfsDevice.now())),
        new JsonArray().add(entry(edge, null, a.edges.get(edge).getString("created_at"), ContextfsDevice.now()))));
    assertThat(diff.getJsonObject("applied_deletes").getJsonArray("session_ids")).as(diff.encode()).containsExactly(session);
    assertThat(diff.getJsonObject("applied_deletes").getJsonArray("edge_ids")).containsExactly(edge);
    assertThat(diff.getInteger("total_server_missing")).isZero();
    assertThat(stored("sessions", session).getBoolean("deleted")).isTrue();
    assertThat(stored("edges", edge).getBoolean("deleted")).isTrue();
    assertThat(stored("edges", edge).getString("last_modified_by")).isEqualTo(a.id);

    JsonObject bDiff = b.post("diff", bManifest);
    assertThat(bDiff.getJsonArray("deleted_session_ids")).containsExactly(session);
    assertThat(bDiff.getJsonArray("deleted_edge_ids")).containsExactly(edge);
    PulledPages pulled = b.pullUntil(() -> !b.sessions.containsKey(session) && !b.edges.containsKey(edge));
    assertThat(pulled.sessionIds).contains(session);
    assertThat(pulled.edgeIds).contains(edge);
    assertThat(b.sessions).doesNotContainKey(session);
    assertThat(b.edges).doesNotContainKey(edge);
  }

  @Test
  void aPushOfTheDeletedMemoryWithAnOlderOrConcurrentClockDoesNotBringItBack() throws Exception {
    String ns = unique("ns");
    ContextfsDevice a = device("laptop", ns);
    ContextfsDevice b = device("desktop", ns);
    String m = unique("m");
    a.remember(m, "deleted soon");
    a.syncAll();
    b.syncAll();
    JsonObject bClock = b.memories.get(m).getJsonObject("clock");
    a.forget(m);
    a.syncAll();
    assertThat(stored("memories", m).getBoolean("deleted")).isTrue();

    // B still has the memory alive and pushes it with its next clock: concurrent with the tombstone
    JsonObject pushed = b.post("push", new JsonObject().put("device_id", b.id).put("memories", new JsonArray()
        .add(new JsonObject().put("id", m).put("content", "deleted soon").put("namespace_id", ns)
            .put("vector_clock", bClock.copy().put(b.id, bClock.getLong(b.id, 0L) + 1)))));
    assertThat(pushed.getInteger("accepted")).isZero();
    assertThat(pushed.getJsonArray("conflicts")).hasSize(1);
    // A's own older version is stale
    JsonObject stale = a.post("push", new JsonObject().put("device_id", a.id).put("memories", new JsonArray()
        .add(new JsonObject().put("id", m).put("content", "deleted soon").put("namespace_id", ns)
            .put("vector_clock", bClock))));
    assertThat(stale.getInteger("rejected")).isEqualTo(1);
    assertThat(stored("memories", m).getBoolean("deleted")).isTrue();

    // a device that pulled the tombstone and writes the id again re-creates it deliberately
    JsonObject tombstoneClock = stored("memories", m).getJsonObject("clock");
    JsonObject recreated = b.post("push", new JsonObject().put("device_id", b.id).put("memories", new JsonArray()
        .add(new JsonObject().put("id", m).put("content", "written again").put("namespace_id", ns)
            .put("vector_clock", tombstoneClock.copy().put(b.id, tombstoneClock.getLong(b.id, 0L) + 1)))));
    assertThat(recreated.getInteger("accepted")).isEqualTo(1);
    assertThat(stored("memories", m).getBoolean("deleted")).isFalse();
  }

  @Test
  void liveSocketsHearAManifestDelete() throws Exception {
    String ns = unique("ns");
    ContextfsDevice a = device("laptop", ns);
    String m = unique("m");
    a.remember(m, "announced");
    a.syncAll();
    try (WsListener socket = WsListener.connected(node.vertx, node.port, "/ws/memories")) {
      a.forget(m);
      a.syncAll();
      JsonObject message;
      do {
        message = socket.next();
      } while (!"memory_deleted".equals(message.getString("type"))
          || !m.equals(message.getJsonObject("data").getString("memory_id")));
      assertThat(message.getJsonObject("data").getString("memory_id")).isEqualTo(m);
    }
  }
}
