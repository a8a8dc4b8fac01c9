package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Concurrent pushes: never a failure, never a lost update. */
class ConcurrentPushTest extends NodeTestBase {

  @Test
  void eightConcurrentPushesFromOneDeviceAllSucceed(VertxTestContext test) {
    String device = unique("busy");
    String shared = unique("shared");
    JsonObject register = new JsonObject().put("device_id", device).put("device_name", "b").put("platform", "linux")
        .put("client_version", "1");
    List<Future<JsonObject>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // each push creates the device's sync state if it is missing, and all write the same id too
      calls.add(call("push", Entities.pushMemories(device,
          Entities.memory(unique("own"), "p" + i, clock(device, 1)),
          Entities.memory(shared, "p" + i, clock(device, 1)))));
      calls.add(call("register", register));
    }
    Future.all(calls).onComplete(test.succeeding(all -> test.verify(() -> {
      int acceptedShared = 0;
      for (int i = 0; i < calls.size(); i += 2) {
        JsonObject push = calls.get(i).result();
        assertThat(push.getInteger("accepted") + push.getInteger("rejected")).isEqualTo(2);
        acceptedShared += push.getInteger("accepted") - 1;
      }
      // the shared id is new once: one push inserts it, the rest send a clock it already dominates
      assertThat(acceptedShared).isEqualTo(1);
      test.completeNow();
    })));
  }

  @Test
  void twoDevicesCreatingTheSameIdAtOnceGetOneAcceptAndOneConflict(VertxTestContext test) {
    List<Future<List<JsonObject>>> rounds = new ArrayList<>();
    for (int round = 0; round < 10; round++) {
      String id = unique("race");
      String a = unique("a");
      String b = unique("b");
      Future<JsonObject> first = call("push", Entities.pushMemories(a, Entities.memory(id, "from a", clock(a, 1))));
      Future<JsonObject> second = call("push", Entities.pushMemories(b, Entities.memory(id, "from b", clock(b, 1))));
      rounds.add(Future.all(first, second).map(done -> List.of(first.result(), second.result())));
    }
    Future.all(rounds).onComplete(test.succeeding(all -> test.verify(() -> {
      for (Future<List<JsonObject>> round : rounds) {
        List<JsonObject> results = round.result();
        int accepted = results.get(0).getInteger("accepted") + results.get(1).getInteger("accepted");
        int conflicts = results.get(0).getJsonArray("conflicts").size() + results.get(1).getJsonArray("conflicts").size();
        assertThat(accepted).isEqualTo(1);
        assertThat(conflicts).isEqualTo(1);
      }
      test.completeNow();
    })));
  }

  /**
   * Clients read an id's clock, increment their own counter and push it back, all at once on the
   * same few ids. Every accepted push's clock must be dominated by (or equal to) the final one: an
   * accepted write that a later write overwrote without having seen it would break that.
   */
  @Test
  void readIncrementPushLosesNoUpdate(VertxTestContext test) {
    String namespace = unique("contended");
    List<String> ids = List.of(unique("c0"), unique("c1"), unique("c2"));
    Map<String, List<JsonObject>> acceptedClocks = new ConcurrentHashMap<>();
    ids.forEach(id -> acceptedClocks.put(id, java.util.Collections.synchronizedList(new ArrayList<>())));
    java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    List<Future<Void>> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      clients.add(client(unique("dev" + c), namespace, ids, acceptedClocks, refused, 25));
    }
    Future.all(clients)
        .compose(done -> readClocks(unique("checker"), namespace))
        .onComplete(test.succeeding(finalClocks -> test.verify(() -> {
          int accepted = 0;
          for (String id : ids) {
            JsonObject last = finalClocks.get(id);
            for (JsonObject clock : acceptedClocks.get(id)) {
              accepted++;
              for (String device : clock.fieldNames()) {
                assertThat(last.getLong(device, 0L)).as(id + " lost an accepted write of " + device)
                    .isGreaterThanOrEqualTo(clock.getLong(device));
              }
            }
          }
          assertThat(accepted).isGreaterThan(ids.size());
          // a refused push read a clock that another client's write replaced before its own
          // arrived: the clients' read-increment-push cycles really interleaved
          assertThat(refused.get()).as("pushes refused as stale or concurrent").isGreaterThan(0);
          test.completeNow();
        })));
  }

  private static Future<Void> client(String device, String namespace, List<String> ids,
      Map<String, List<JsonObject>> acceptedClocks, java.util.concurrent.atomic.AtomicInteger refused, int rounds) {
    if (rounds == 0) {
      return Future.succeededFuture();
    }
    String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    return readClocks(device, namespace).compose(clocks -> {
      JsonObject clock = clocks.getOrDefault(id, new JsonObject()).copy();
      clock.put(device, clock.getLong(device, 0L) + 1);
      JsonObject memory = Entities.memory(id, device + " wrote " + clock.encode(), clock).put("namespace_id", namespace);
      return call("push", Entities.pushMemories(device, memory)).map(result -> {
        if (result.getInteger("accepted") == 1) {
          acceptedClocks.get(id).add(clock);
        } else {
          refused.incrementAndGet();
        }
        return null;
      });
    }).compose(v -> client(device, namespace, ids, acceptedClocks, refused, rounds - 1));
  }

  private static Future<Map<String, JsonObject>> readClocks(String device, String namespace) {
    return call("pull", new JsonObject().put("device_id", device).put("namespace_ids", new JsonArray().add(namespace)))
        .map(page -> {
          Map<String, JsonObject> clocks = new ConcurrentHashMap<>();
          page.getJsonArray("memories").forEach(m -> {
            JsonObject memory = (JsonObject) m;
            clocks.put(memory.getString("id"), memory.getJsonObject("vector_clock"));
          });
          return clocks;
        });
  }
}
