package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Merkle summary: bucket hashes a client can compute itself, narrowing a large difference to its ids. */
class MerkleTest extends NodeTestBase {
  private static final int MEMORIES = 10_000;

  /** What a client knows of one of its memories. */
  private record Entry(String id, String contentHash, boolean deleted) {}

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static int bucketOf(String id) {
    return sha256(id)[0] & 0xff;
  }

  /** The documented bucket hash, computed on the client's side: lines in byte order of the id. */
  static String[] bucketHashes(List<Entry> entries) {
    List<TreeMap<String, String>> buckets = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      // String order equals UTF-8 byte order for the ASCII ids used here
      buckets.add(new TreeMap<>());
    }
    for (Entry e : entries) {
      buckets.get(bucketOf(e.id())).put(e.id(),
          e.id() + "\n" + (e.contentHash() == null ? "" : e.contentHash()) + "\n" + (e.deleted() ? "1" : "0") + "\n");
    }
    String[] hashes = new String[256];
    for (int b = 0; b < 256; b++) {
      hashes[b] = HexFormat.of().formatHex(sha256(String.join("", buckets.get(b).values())));
    }
    return hashes;
  }

  /** A push stores each memory's Merkle bucket, the one the database's bucket function gives its id. */
  @Test
  void aPushStoresEachMemorysBucket(VertxTestContext test) {
    String ns = unique("buckets");
    String device = unique("dev");
    JsonArray memories = new JsonArray();
    for (String id : List.of(ns + "-a", ns + "-é", ns + "-😀", ns + "-" + "x".repeat(300))) {
      memories.add(Entities.memory(id, "c", clock(device, 1)).put("namespace_id", ns));
    }
    io.vertx.sqlclient.Pool pool = db.pool(vertx);
    call("push", Entities.push(device, memories, new JsonArray(), new JsonArray()))
        .compose(pushed -> pool.preparedQuery("SELECT count(*) FILTER (WHERE merkle_bucket = syncnode_merkle_bucket(id)),"
            + " count(*) FROM memories WHERE namespace_id = $1").execute(io.vertx.sqlclient.Tuple.of(ns)))
        .eventually(pool::close)
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          io.vertx.sqlclient.Row row = rows.iterator().next();
          assertThat(row.getLong(1)).isEqualTo(4);
          assertThat(row.getLong(0)).as("memories whose stored bucket is their id's").isEqualTo(4);
          test.completeNow();
        })));
  }

  @Test
  void bucketHashesMatchTheClientsAndNarrowThreeDifferencesToThreeIds(VertxTestContext test) {
    String ns = unique("merkle");
    String device = unique("dev");
    List<Entry> stored = new ArrayList<>();
    List<Future<JsonObject>> pushes = new ArrayList<>();
    for (int batch = 0; batch < MEMORIES / 200; batch++) {
      JsonArray memories = new JsonArray();
      for (int i = 0; i < 200; i++) {
        String id = ns + "-" + batch + "-" + i;
        String hash = HexFormat.of().formatHex(sha256("content " + id)).substring(0, 16);
        boolean deleted = i == 7;
        JsonObject m = Entities.memory(id, "content " + id, clock(device, 1)).put("namespace_id", ns)
            .put("content_hash", hash);
        if (deleted) {
          m.put("deleted_at", "2025-12-05T00:00:00Z");
        }
        memories.add(m);
        stored.add(new Entry(id, hash, deleted));
      }
      pushes.add(call("push", Entities.push(device, memories, new JsonArray(), new JsonArray())));
    }
    // the client differs in three entries
    List<Entry> client = new ArrayList<>(stored);
    Set<String> changed = new HashSet<>();
    for (int k : new int[] {11, 4_321, 9_876}) {
      Entry e = client.get(k);
      client.set(k, new Entry(e.id(), "0000000000000000", e.deleted()));
      changed.add(e.id());
    }
    JsonObject summary = new JsonObject().put("device_id", device).put("namespace_ids", new JsonArray().add(ns));
    Future.all(pushes)
        .compose(done -> call("merkle", summary))
        .compose(server -> {
          JsonObject memories = server.getJsonObject("memories");
          assertThat(memories.getLong("count")).isEqualTo(MEMORIES);
          List<Object> serverHashes = memories.getJsonArray("buckets").getList();
          assertThat(serverHashes).containsExactly((Object[]) bucketHashes(stored));
          String[] clientHashes = bucketHashes(client);
          JsonArray differing = new JsonArray();
          for (int b = 0; b < 256; b++) {
            if (!clientHashes[b].equals(serverHashes.get(b))) {
              differing.add(b);
            }
          }
          assertThat(differing.size()).isBetween(1, 3);
          assertThat(server.getJsonObject("sessions").getLong("count")).isZero();
          assertThat(server.getJsonObject("edges").getJsonArray("buckets")).hasSize(256);
          return call("merkle", summary.copy().put("buckets", differing));
        })
        .onComplete(test.succeeding(narrowed -> test.verify(() -> {
          JsonArray entries = narrowed.getJsonObject("entries").getJsonArray("memories");
          Map<String, Entry> mine = new TreeMap<>();
          client.forEach(e -> mine.put(e.id(), e));
          Set<String> different = new HashSet<>();
          for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.getJsonObject(i);
            Entry local = mine.get(e.getString("id"));
            if (!local.contentHash().equals(e.getString("content_hash")) || local.deleted() != e.getBoolean("deleted")) {
              different.add(e.getString("id"));
            }
          }
          assertThat(different).isEqualTo(changed);
          assertThat(entries.size()).isLessThan(MEMORIES / 50);
          test.completeNow();
        })));
  }

  @Test
  void aBucketOutOfRangeIsRefused(VertxTestContext test) {
    node.postRaw("/api/sync/merkle", "{\"device_id\":\"d\",\"buckets\":[3,256]}", "application/json")
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(422);
          assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("buckets[1]");
          test.completeNow();
        })));
  }
}
