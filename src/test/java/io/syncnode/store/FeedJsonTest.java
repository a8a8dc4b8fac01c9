package io.syncnode.store;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.json.EntityWriter;
import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.syncnode.worker.api.FeedEntry;
import io.syncnode.worker.api.FeedJson;
import io.syncnode.worker.api.FeedQuery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pages are written from the rows straight to JSON: that JSON must be what the entity read from
 * the same row is written as, for every type and for absent, null and present fields, and the
 * chunks of a cursor must join into one valid array.
 */
class FeedJsonTest extends NodeTestBase {
  /** Jackson, writing characters beyond the BMP as their UTF-8 bytes (by default, as two escaped surrogates). */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  private static final String TENANT = "default";
  private static Pool pool;

  @BeforeAll
  static void openPool() {
    pool = db.pool(vertx);
  }

  @AfterAll
  static void closePool() {
    pool.close().await();
  }

  @Test
  void chunksJoinIntoTheArrayTheEntityWriterWrites(VertxTestContext test) {
    String device = unique("dev");
    String session = unique("sess");
    JsonObject full = Entities.memory(unique("full"), "line one\n\"quoted\" \\ ünï ✓ 😀 \u0001\u001f\u007f\b\f\r tab\t </script>",
            clock(device, 3, "other", 1))
        .put("tags", new JsonArray().add("a").add("with,comma").add(""))
        .put("summary", "s").put("repo_url", "git@x:y.git").put("session_id", session)
        .put("metadata", new JsonObject().put("nested", new JsonObject().put("n", 1.5)))
        .put("embedding", new JsonArray().add(0.25).add(-1.0E-5))
        .put("encrypted", false).put("visibility", "private")
        .put("deleted_at", "2026-01-02T03:04:05.000006Z");
    JsonObject minimal = new JsonObject().put("id", unique("min")).put("content", "just content");
    JsonObject third = Entities.memory(unique("third"), "third", clock(device, 1));
    // larger than a segment of the page's output: written into a segment of its own
    JsonObject large = Entities.memory(unique("large"), "y".repeat(SegmentedOutput.SEGMENT_BYTES + 100), clock(device, 1))
        .put("summary", "\"".repeat(SegmentedOutput.SEGMENT_BYTES / 2 + 100));
    JsonObject sessionJson = Entities.session(session, "summary", clock(device, 2))
        .put("started_at", "2026-01-01T00:00:00.5Z").put("ended_at", null);
    JsonObject edge = Entities.edge(full.getString("id"), session, "part_of", clock(device, 1)).put("weight", 0.5);
    JsonObject push = Entities.push(device, new JsonArray().add(full).add(minimal).add(large).add(third),
        new JsonArray().add(sessionJson), new JsonArray().add(edge));

    FeedQuery everything = new FeedQuery(TENANT, 0, Long.MAX_VALUE, null, null);
    call("push", push)
        // stored by no client, but a column can hold them: written as Jackson writes them, as strings
        .compose(pushed -> pool.preparedQuery("UPDATE memories SET embedding = '{NaN,-Infinity,1e-40,3.4028235e38}' WHERE id = $1")
            .execute(io.vertx.sqlclient.Tuple.of(third.getString("id"))))
        .compose(updated -> compare(new EntityStore<>(pool, new MemoryTable()), everything, 4))
        .compose(v -> compare(new EntityStore<>(pool, new SessionTable()), everything, 1))
        .compose(v -> compare(new EntityStore<>(pool, new EdgeTable()), everything, 1))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aWindowWithNoRowsIsAnEmptyArray(VertxTestContext test) {
    FeedQuery none = new FeedQuery(TENANT, Long.MAX_VALUE - 1, Long.MAX_VALUE, null, null);
    new EntityStore<>(pool, new MemoryTable()).feedJson(none)
        .compose(cursor -> readAll(cursor, 2))
        .map(FeedJsonTest::joined)
        .onComplete(test.succeeding(json -> test.verify(() -> {
          assertThat(new JsonArray("[" + json + "]")).isEmpty();
          test.completeNow();
        })));
  }

  @Test
  void aPageReadAtOnceHoldsTheRowsACursorReads(VertxTestContext test) {
    String device = unique("dev");
    JsonArray memories = new JsonArray();
    for (int i = 0; i < 6; i++) {
      memories.add(Entities.memory(unique("m" + i), "content " + i, clock(device, 1)));
    }
    EntityStore<io.syncnode.protocol.Memory> store = new EntityStore<>(pool, new MemoryTable());
    FeedQuery everything = new FeedQuery(TENANT, 0, Long.MAX_VALUE, null, null);
    call("push", Entities.push(device, memories, new JsonArray(), new JsonArray()))
        .compose(pushed -> store.feedPositions(everything, 100_000, false))
        .compose(found -> {
          long[] all = found.inWindow();
          long bound = all[all.length - 3];
          FeedQuery belowAndAbove = new FeedQuery(TENANT, 0, all[all.length - 5], null, null)
              .skippingAndAbove(null, all[all.length - 2]);
          return sameRows(store, everything, all.length)
              .compose(v -> sameRows(store, belowAndAbove, all.length - 1))
              .compose(v -> store.feedJsonAtOnce(everything, all.length - 1))
              .compose(tooMany -> {
                test.verify(() -> assertThat(tooMany).as("more rows than asked for").isNull());
                return store.feedPositions(everything.between(0, bound), 100_000, true);
              })
              .map(split -> {
                test.verify(() -> {
                  assertThat(split.inWindow()).containsExactly(java.util.Arrays.copyOf(all, all.length - 3));
                  assertThat(split.aboveBound()).containsExactly(java.util.Arrays.copyOfRange(all, all.length - 3, all.length));
                });
                return null;
              });
        })
        .onComplete(test.succeedingThenComplete());
  }

  /** The rows and the positions above the bound read at once equal those a cursor reads, one row per chunk. */
  private static <E extends SyncEntity> Future<Void> sameRows(EntityStore<E> store, FeedQuery query, int atMost) {
    Future<List<FeedJson>> chunks = store.feedJson(query).compose(cursor -> readAll(cursor, 1));
    Future<FeedJson> atOnce = store.feedJsonAtOnce(query, atMost);
    return Future.all(chunks, atOnce).map(both -> {
      JsonArray byCursor = new JsonArray("[" + joined(chunks.result()) + "]");
      assertThat(atOnce.result()).as("read at once").isNotNull();
      assertThat(new JsonArray("[" + atOnce.result().json() + "]")).isEqualTo(byCursor).isNotEmpty();
      assertThat(atOnce.result().positionsAbove())
          .containsExactly(chunks.result().stream().flatMapToLong(c -> java.util.Arrays.stream(c.positionsAbove())).toArray());
      return null;
    });
  }

  /** Reads the feed one row per chunk (so that chunks are joined) and as entities, and compares. */
  private static <E extends SyncEntity> Future<Void> compare(EntityStore<E> store, FeedQuery query, int expected) {
    Future<String> json = store.feedJson(query).compose(cursor -> readAll(cursor, 1)).map(FeedJsonTest::joined);
    // all rows in one chunk: rows written one after the other across the ends of its segments
    Future<String> oneChunk = store.feedJson(query).compose(cursor -> readAll(cursor, 100)).map(FeedJsonTest::joined);
    Future<List<FeedEntry<E>>> entries = store.feedEntries(query).compose(cursor -> readAll(cursor, 100));
    return Future.all(json, oneChunk, entries).map(all -> {
      assertThat(oneChunk.result()).as("read in one chunk").isEqualTo(json.result());
      List<String> fromEntities = new ArrayList<>();
      for (FeedEntry<E> entry : entries.result()) {
        fromEntities.add(entityJson(entry.entity()));
      }
      assertThat(new JsonArray("[" + json.result() + "]")).hasSize(expected);
      assertThat(json.result()).as("the same bytes").isEqualTo(String.join(",", fromEntities));
      return null;
    });
  }

  /** Everything the cursor reads, {@code rowsPerChunk} rows at a time; the cursor is closed after. */
  private static <E> Future<List<E>> readAll(RowCursor<E> cursor, int rowsPerChunk) {
    List<E> all = new ArrayList<>();
    return readItems(cursor, rowsPerChunk, all).eventually(cursor::close).map(all);
  }

  private static <E> Future<Void> readItems(RowCursor<E> cursor, int rowsPerChunk, List<E> all) {
    return cursor.read(rowsPerChunk).compose(items -> {
      all.addAll(items);
      return cursor.hasMore() ? readItems(cursor, rowsPerChunk, all) : Future.succeededFuture();
    });
  }

  private static String joined(List<FeedJson> chunks) {
    Buffer all = Buffer.buffer();
    chunks.forEach(chunk -> all.appendBuffer(chunk.json()));
    return all.toString();
  }

  private static String entityJson(SyncEntity entity) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      EntityWriter.write(g, entity);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
