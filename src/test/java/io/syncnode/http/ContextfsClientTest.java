package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.ContextfsDevice;
import io.syncnode.support.ContextfsDevice.Round;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.PulledPages;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contextfs client as it is: its diff manifests (sessions by started_at, edges by their local
 * created_at, no hashes), its push of everything changed since the push's own server_timestamp, its
 * pull paging loop with that timestamp, and its status call.
 */
class ContextfsClientTest extends NodeTestBase {

  private static ContextfsDevice device(String name, String namespace) {
    return new ContextfsDevice(node, unique(name), namespace == null ? null : List.of(namespace), null);
  }

  private static void fill(ContextfsDevice device, String prefix, int memories, int sessions, int edges) {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < memories; i++) {
      String id = unique(prefix + "-m" + i);
      ids.add(id);
      device.remember(id, "content " + id);
    }
    for (int i = 0; i < sessions; i++) {
      device.startSession(unique(prefix + "-s" + i));
    }
    for (int i = 0; i < edges; i++) {
      device.link(ids.get(i % ids.size()), ids.get((i + 1) % ids.size()), "related_to");
    }
  }

  private static void assertIdle(Round round) {
    JsonObject diff = round.diff();
    assertThat(diff.getInteger("total_missing")).as("total_missing").isZero();
    assertThat(diff.getInteger("total_updated")).as("total_updated").isZero();
    assertThat(diff.getInteger("total_deleted")).as("total_deleted").isZero();
    assertThat(diff.getInteger("total_server_missing")).as("total_server_missing").isZero();
    assertThat(round.transferred()).isZero();
  }

  @Test
  void twoDevicesRunningSyncAllAlternatelyGoIdle() {
    String ns = unique("ns");
    ContextfsDevice a = device("laptop", ns);
    ContextfsDevice b = device("desktop", ns);
    fill(a, "a", 5, 4, 4);
    fill(b, "b", 3, 2, 2);

    Round a1 = a.syncAll();
    assertThat(a1.pushed()).isEqualTo(13);
    Round b1 = b.syncAll();
    assertThat(b1.received()).isEqualTo(13);
    assertThat(b1.pushed()).isEqualTo(7);
    Round a2 = a.syncAll();
    assertThat(a2.received()).isEqualTo(7);
    assertThat(a2.pushed()).isZero();

    // from here on nothing moves, in either direction
    assertIdle(b.syncAll());
    assertIdle(a.syncAll());
    assertIdle(b.syncAll());
    assertThat(a.sessions.keySet()).isEqualTo(b.sessions.keySet()).hasSize(6);
    assertThat(a.edges.keySet()).isEqualTo(b.edges.keySet()).hasSize(6);
    assertThat(a.memories.keySet()).isEqualTo(b.memories.keySet()).hasSize(8);
  }

  @Test
  void aSessionOrEdgeIsComparedByHashWhenTheClientSendsOne() throws Exception {
    String device = unique("dev");
    String session = unique("s");
    await(call("push", new JsonObject().put("device_id", device)
        .put("sessions", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", session)
            .put("summary", "s").put("content_hash", "h-new").put("vector_clock", new JsonObject().put(device, 1))))));
    JsonObject diff = await(call("diff", new JsonObject().put("device_id", device)
        .put("sessions", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("id", session).put("content_hash", "h-old")
                .put("updated_at", "2099-01-01T00:00:00Z")))));
    assertThat(diff.getJsonArray("missing_sessions")).hasSize(1);
    assertThat(diff.getInteger("total_updated")).isEqualTo(1);
    JsonObject same = await(call("diff", new JsonObject().put("device_id", device)
        .put("sessions", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("id", session).put("content_hash", "h-new")
                .put("updated_at", "2000-01-01T00:00:00Z")))));
    assertThat(same.getJsonArray("missing_sessions")).isEmpty();
  }

  @Test
  void anUnchangedSecondPushSendsNothing() {
    ContextfsDevice a = device("laptop", unique("ns"));
    fill(a, "a", 3, 2, 2);
    a.register();
    JsonObject first = a.pushChanges();
    assertThat(first.getInteger("accepted")).isEqualTo(7);
    assertThat(Instant.parse(first.getString("server_timestamp"))).isAfter(Instant.EPOCH);
    // what the client would send on its next push: memories updated, sessions started and edges
    // created after the stored server_timestamp
    assertThat(a.pendingPush()).isZero();
    JsonObject second = a.pushChanges();
    assertThat(second.getInteger("accepted")).isZero();
    assertThat(a.pendingPush()).isZero();

    a.remember(unique("a-later"), "changed later");
    assertThat(a.pendingPush()).isEqualTo(1);
    assertThat(a.pushChanges().getInteger("accepted")).isEqualTo(1);
  }

  @Test
  void aPullAfterOwnPushesMissesNothingOtherDevicesChanged() {
    String ns = unique("ns");
    ContextfsDevice a = device("laptop", ns);
    ContextfsDevice b = device("desktop", ns);
    a.register();
    b.register();
    a.pull();
    String first = unique("a-m1");
    a.remember(first, "first");
    a.pushChanges();
    String others = unique("b-m2");
    b.remember(others, "from the other device");
    b.pushChanges();
    String second = unique("a-m3");
    a.remember(second, "second");
    a.pushChanges();

    PulledPages pulled = a.pullUntil(() -> a.memories.containsKey(others));
    // the other device's change, never the device's own two
    assertThat(pulled.memoryIds).containsOnly(others);
    // an own memory that another device changed afterwards comes back
    b.pullUntil(() -> b.memories.containsKey(first));
    b.memories.get(first).put("content", "edited on the desktop").put("updated_at", ContextfsDevice.now());
    b.pushChanges();
    a.pushChanges();
    PulledPages edited = a.pullUntil(() -> a.memories.get(first).getString("content").equals("edited on the desktop"));
    assertThat(edited.memoryIds).containsOnly(first);
    assertThat(a.memories.get(first).getString("content")).isEqualTo("edited on the desktop");
  }

  @Test
  void aDeviceThatNeverPulledGetsEverythingAfterItsPush() {
    String ns = unique("ns");
    ContextfsDevice a = device("laptop", ns);
    ContextfsDevice b = device("desktop", ns);
    String before = unique("b-before");
    b.remember(before, "pushed before the laptop ever synced");
    b.pushChanges();
    a.remember(unique("a-own"), "own");
    a.pushChanges();
    assertThat(a.pullUntil(() -> a.memories.containsKey(before)).memoryIds).containsOnly(before);
  }

  /**
   * The status after {@code sync}. A pull or diff covers the feed up to its safe bound, which an open
   * transaction anywhere on the PostgreSQL server holds back for a moment: a change above it is
   * still pending, and served by the next sync. So the sync is repeated (a few times at most) until
   * nothing is pending.
   */
  private static JsonObject after(Runnable sync, ContextfsDevice device) {
    JsonObject status = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      sync.run();
      status = device.status();
      if (status.getLong("pending_pull_count") == 0) {
        return status;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return status;
  }

  @Test
  void statusCountsOtherDevicesChangesUntilAPullOrASync() {
    ContextfsDevice a = device("laptop", null);
    ContextfsDevice b = device("desktop", null);
    a.register();
    b.register();
    a.pull();
    fill(a, "a", 20, 4, 4);
    assertThat(a.pushChanges().getInteger("accepted")).isEqualTo(28);
    JsonObject own = a.status();
    assertThat(own.getLong("pending_pull_count")).isZero();
    assertThat(own.getLong("pending_push_count")).isZero();

    fill(b, "b", 5, 1, 2);
    b.pushChanges();
    JsonObject pending = a.status();
    assertThat(pending.getLong("pending_pull_count")).isEqualTo(5);
    assertThat(pending.getLong("pending_pull_memories")).isEqualTo(5);
    assertThat(pending.getLong("pending_pull_sessions")).isEqualTo(1);
    assertThat(pending.getLong("pending_pull_edges")).isEqualTo(2);

    assertThat(after(a::pull, a).getLong("pending_pull_count")).isZero();

    String later = unique("b-later");
    b.remember(later, "later");
    b.pushChanges();
    assertThat(a.status().getLong("pending_pull_count")).isEqualTo(1);
    JsonObject synced = after(a::syncAll, a);
    assertThat(synced.getLong("pending_pull_count")).isZero();
    assertThat(synced.getLong("pending_pull_sessions")).isZero();
    assertThat(synced.getLong("pending_pull_edges")).isZero();
  }
}
