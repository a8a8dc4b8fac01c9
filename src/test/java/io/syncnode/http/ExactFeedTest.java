package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The change feed misses nothing, whatever order concurrent transactions commit in. */
class ExactFeedTest extends NodeTestBase {
  /** The batches of 5 each writer of concurrentWritersAndAPagingReader pushes at most. */
  private static final int PUSHES_PER_WRITER = 300;
  /** A write as a node makes it, from a transaction the test keeps open. */
  private static final String SLOW_WRITE = "INSERT INTO memories (tenant_id, id, vector_clock, created_at, updated_at,"
      + " content, type, tags, namespace_id, metadata, change_pos, changed_at)"
      + " VALUES ('default', $1, '{}', now(), now(), 'slow', 'fact', '{}', $2, '{}',"
      + " pg_current_xact_id()::text::bigint * 1048576 + 1, statement_timestamp())";

  private record Held(SqlConnection conn, Transaction tx) {}

  private static Future<Held> beginSlowWrite(String id, String namespace) {
    return node.inspect.getConnection().compose(conn -> conn.begin()
        .compose(tx -> conn.preparedQuery(SLOW_WRITE).execute(Tuple.of(id, namespace)).map(done -> new Held(conn, tx))));
  }

  private static JsonObject pull(String device, String namespace) {
    return new JsonObject().put("device_id", device).put("namespace_ids", new JsonArray().add(namespace)).put("limit", 50);
  }

  private static List<String> memoryIds(JsonObject page) {
    List<String> ids = new ArrayList<>();
    page.getJsonArray("memories").forEach(m -> ids.add(((JsonObject) m).getString("id")));
    return ids;
  }

  @Test
  void aTransactionThatCommitsLateIsReturnedByTheNextCursorPull(VertxTestContext test) {
    String ns = unique("late");
    String device = unique("reader");
    String slowId = unique("slow");
    String fastId = unique("fast");
    Map<String, Object> state = new HashMap<>();
    call("pull", pull(device, ns))
        .compose(first -> {
          state.put("cursor", first.getString("cursor"));
          return beginSlowWrite(slowId, ns);
        })
        .compose(held -> {
          state.put("held", held);
          return call("push", Entities.pushMemories("writer",
              Entities.memory(fastId, "fast", clock("writer", 1)).put("namespace_id", ns)));
        })
        .compose(pushed -> call("pull", pull(device, ns).put("cursor", state.get("cursor"))))
        .compose(whileHeld -> {
          // the later write is stored, so it is served, but the cursor stays below the open
          // transaction, which may still commit before it
          assertThat(memoryIds(whileHeld)).containsExactly(fastId);
          state.put("cursor", whileHeld.getString("cursor"));
          return ((Held) state.get("held")).tx().commit()
              .eventually(() -> ((Held) state.get("held")).conn().close());
        })
        .compose(committed -> call("pull", pull(device, ns).put("cursor", state.get("cursor"))))
        .onComplete(test.succeeding(after -> test.verify(() -> {
          // the late commit, and not the write the cursor says was served already
          assertThat(memoryIds(after)).containsExactly(slowId);
          test.completeNow();
        })));
  }

  @Test
  void theLegacySinceTimestampLoopAlsoGetsTheLateTransaction(VertxTestContext test) {
    String ns = unique("late-legacy");
    String device = unique("reader");
    String slowId = unique("slow");
    String fastId = unique("fast");
    Map<String, Object> state = new HashMap<>();
    beginSlowWrite(slowId, ns)
        .compose(held -> {
          state.put("held", held);
          return call("push", Entities.pushMemories("writer",
              Entities.memory(fastId, "fast", clock("writer", 1)).put("namespace_id", ns)));
        })
        .compose(pushed -> call("pull", pull(device, ns)))
        .compose(whileHeld -> {
          state.put("since", whileHeld.getString("server_timestamp"));
          return ((Held) state.get("held")).tx().commit()
              .eventually(() -> ((Held) state.get("held")).conn().close())
              .map(whileHeld);
        })
        .compose(whileHeld -> call("pull", pull(device, ns).put("since_timestamp", state.get("since")))
            .map(next -> {
              List<String> seen = new ArrayList<>(memoryIds(whileHeld));
              seen.addAll(memoryIds(next));
              return seen;
            }))
        .onComplete(test.succeeding(seen -> test.verify(() -> {
          assertThat(seen).contains(slowId, fastId);
          test.completeNow();
        })));
  }

  /**
   * Four writers push new ids (for 10 s, at most {@value #PUSHES_PER_WRITER} batches each) while
   * readers page with limit 50: with the cursor every accepted id arrives exactly once, with the
   * legacy loop at least once. The cap keeps the readers' work bounded on a fast machine: a page
   * read from a standby waits for its replay, so that the readers of 30,000 ids outlasted the test.
   */
  @Test
  void concurrentWritersAndAPagingReader(VertxTestContext test) {
    String ns = unique("busy");
    Set<String> written = ConcurrentHashMap.newKeySet();
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Future<Void>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      writers.add(writer("writer-" + w + "-" + ns, ns, written, writing, 0));
    }
    List<String> byCursor = new ArrayList<>();
    Set<String> byLegacy = ConcurrentHashMap.newKeySet();
    AtomicInteger pagesWhileWriting = new AtomicInteger();
    vertx.setTimer(10_000, t -> writing.set(false));
    // the readers stop only once every writer's last push has been answered, not when the writers
    // are told to stop: a push still in flight then would be written after the readers' last pull
    AtomicBoolean writersDone = new AtomicBoolean();
    Future.all(writers).onComplete(done -> writersDone.set(true));
    Future<Void> cursorReader = readByCursor(unique("cursor-reader"), ns, null, byCursor, writersDone, 0,
        pagesWhileWriting);
    Future<Void> legacyReader = readLegacy(unique("legacy-reader"), ns, null, 0, byLegacy, writersDone, 0);
    Future.all(writers).compose(w -> Future.all(cursorReader, legacyReader))
        .onComplete(test.succeeding(done -> test.verify(() -> {
          assertThat(written).hasSizeGreaterThan(100);
          assertThat(pagesWhileWriting).as("pages with rows read while the writers wrote").hasPositiveValue();
          assertThat(byCursor).hasSize(written.size());
          assertThat(byCursor).containsExactlyInAnyOrderElementsOf(written);
          assertThat(byLegacy).containsAll(written);
          test.completeNow();
        })));
  }

  private static Future<Void> writer(String device, String ns, Set<String> written, AtomicBoolean writing, int n) {
    if (!writing.get() || n == PUSHES_PER_WRITER) {
      return Future.succeededFuture();
    }
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(Entities.memory(device + "-" + n + "-" + i, "c", clock(device, 1)).put("namespace_id", ns));
    }
    return call("push", Entities.pushMemories(device, batch.toArray(JsonObject[]::new))).compose(r -> {
      assertThat(r.getInteger("accepted")).isEqualTo(5);
      batch.forEach(m -> written.add(m.getString("id")));
      return writer(device, ns, written, writing, n + 1);
    });
  }

  /**
   * Pulls by cursor until the writers are done and two pulls in a row brought nothing; counts the
   * pages with rows asked for before the writers were done.
   */
  private static Future<Void> readByCursor(String device, String ns, String cursor, List<String> seen,
      AtomicBoolean writersDone, int emptyAfterStop, AtomicInteger pagesWhileWriting) {
    boolean stopped = writersDone.get();
    return call("pull", pull(device, ns).put("cursor", cursor)).compose(page -> {
      List<String> ids = memoryIds(page);
      seen.addAll(ids);
      if (!stopped && !ids.isEmpty()) {
        pagesWhileWriting.incrementAndGet();
      }
      int empty = stopped && ids.isEmpty() ? emptyAfterStop + 1 : 0;
      if (empty >= 2) {
        return Future.succeededFuture();
      }
      return readByCursor(device, ns, page.getString("cursor"), seen, writersDone, empty, pagesWhileWriting);
    });
  }

  /** The contextfs client's loop: page with the same since and offset=next_offset, then since=server_timestamp. */
  private static Future<Void> readLegacy(String device, String ns, String since, long offset, Set<String> seen,
      AtomicBoolean writersDone, int emptyAfterStop) {
    boolean stopped = writersDone.get();
    return call("pull", pull(device, ns).put("since_timestamp", since).put("offset", offset)).compose(page -> {
      List<String> ids = memoryIds(page);
      seen.addAll(ids);
      if (page.getBoolean("has_more")) {
        return readLegacy(device, ns, since, page.getLong("next_offset"), seen, writersDone, emptyAfterStop);
      }
      int empty = stopped && ids.isEmpty() ? emptyAfterStop + 1 : 0;
      if (empty >= 2) {
        return Future.succeededFuture();
      }
      return readLegacy(device, ns, page.getString("server_timestamp"), 0, seen, writersDone, empty);
    });
  }
}
