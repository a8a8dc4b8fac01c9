package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.store.DeviceStore;
import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.PulledPages;
import io.syncnode.worker.api.PullStart;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The feed's marks: a pull by time reads from the last mark before its since, and a mark never
 * lies above a change written after it.
 */
class FeedMarksTest extends NodeTestBase {
  /** Every (mark, row) pair where the row sits below the mark's bound but was written at or after its time. */
  private static final String MARKS_ABOVE_LATER_ROWS = "SELECT count(*) FROM feed_marks m JOIN memories t"
      + " ON t.change_pos < m.bound AND t.changed_at >= m.marked_at";

  private static JsonArray memories(String ns, String prefix, int count) {
    JsonArray memories = new JsonArray();
    for (int i = 0; i < count; i++) {
      memories.add(Entities.memory(prefix + "-" + i, "content " + i, clock("writer", 1)).put("namespace_id", ns));
    }
    return memories;
  }

  private static OffsetDateTime databaseNow() throws Exception {
    return await(node.inspect.query("SELECT clock_timestamp()").execute()).iterator().next().getOffsetDateTime(0);
  }

  /** Pulls (which read the watermark) until the node has written a mark after {@code after}; returns its time. */
  private static OffsetDateTime markAfter(OffsetDateTime after) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      await(call("pull", Entities.pull(unique("marker"), null, 1, 0)));
      Row last = await(node.inspect.preparedQuery("SELECT max(marked_at) FROM feed_marks WHERE marked_at > $1")
          .execute(Tuple.of(after))).iterator().next();
      if (last.getOffsetDateTime(0) != null) {
        return last.getOffsetDateTime(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no feed mark written after " + after);
  }

  private static long position(String id) throws Exception {
    return await(node.inspect.preparedQuery("SELECT change_pos FROM memories WHERE id = $1").execute(Tuple.of(id)))
        .iterator().next().getLong(0);
  }

  @Test
  void aPullByTimeStartsAtTheLastMarkBeforeItsSinceAndServesExactlyWhatChanged() throws Exception {
    String ns = unique("marked");
    String reader = unique("reader");
    await(call("push", Entities.push("writer", memories(ns, ns + "-old", 500), new JsonArray(), new JsonArray())));
    OffsetDateTime mark = markAfter(databaseNow());
    String since = await(pullAll(reader, null, 1000)).lastServerTimestamp();
    assertThat(Instant.parse(since)).isAfterOrEqualTo(mark.toInstant());
    await(call("push", Entities.push("writer", memories(ns, ns + "-new", 3), new JsonArray(), new JsonArray())));

    PullStart start = await(new DeviceStore(node.inspect, node.inspect)
        .pullStart("default", reader, Instant.parse(since)));
    assertThat(start.scanAfter()).as("the old rows lie below the mark and are not scanned")
        .isGreaterThanOrEqualTo(position(ns + "-old-499"))
        .isLessThan(position(ns + "-new-0"));
    PulledPages pages = await(pullAll(reader, since, 2));
    assertThat(pages.memoryIds).containsExactlyInAnyOrder(ns + "-new-0", ns + "-new-1", ns + "-new-2");
  }

  @Test
  void aMarkTakenWhileAWriterIsOpenDoesNotSkipWhatItWritesLater() throws Exception {
    String ns = unique("open");
    String device = unique("device");
    String slowId = unique("slow");
    SqlConnection conn = await(node.inspect.getConnection());
    try {
      // as a node's push runs: the table's lock, then the transaction's id, then (later) the write
      Transaction tx = await(conn.begin());
      await(conn.query("LOCK TABLE memories IN ROW EXCLUSIVE MODE").execute());
      long xid = await(conn.query("SELECT pg_current_xact_id()::text::bigint").execute()).iterator().next().getLong(0);
      // a later transaction that ends meanwhile: the feed's next position passes the open one's
      await(call("push", Entities.push("writer", memories(ns, ns + "-later", 1), new JsonArray(), new JsonArray())));
      OffsetDateTime since = markAfter(databaseNow());
      await(conn.preparedQuery("INSERT INTO memories (tenant_id, id, vector_clock, created_at, updated_at, content,"
              + " type, tags, namespace_id, metadata, change_pos, changed_at, last_modified_by)"
              + " VALUES ('default', $1, '{}', now(), now(), 'slow', 'fact', '{}', $2, '{}', $3, statement_timestamp(), $4)")
          .execute(Tuple.of(slowId, ns, xid * 1_048_576 + 1, device)));
      await(tx.commit());
      // the device has pulled everything since, so only its since_timestamp can bring the row back
      await(pullAll(device, null, 1000));

      PulledPages pages = await(pullAll(device, since.toInstant().toString(), 1000));
      assertThat(pages.memoryIds).as("written after the since, by a transaction open when the mark was taken")
          .contains(slowId);
    } finally {
      conn.close();
    }
  }

  @Test
  void noMarkLiesAboveARowWrittenAfterIt() throws Exception {
    String ns = unique("overlap");
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger batches = new AtomicInteger();
    List<Future<Void>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String writer = ns + "-writer-" + w;
      writers.add(writeUntilStopped(writer, ns, writing, batches, 0));
    }
    OffsetDateTime first = databaseNow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      await(call("pull", Entities.pull(unique("reader"), null, 10, 0)));
    }
    writing.set(false);
    await(Future.all(writers));
    OffsetDateTime last = databaseNow();
    long marksWhileWriting = await(node.inspect.preparedQuery(
        "SELECT count(*) FROM feed_marks WHERE marked_at > $1 AND marked_at < $2").execute(Tuple.of(first, last)))
        .iterator().next().getLong(0);
    assertThat(marksWhileWriting).as("marks taken while the writers ran").isGreaterThanOrEqualTo(3);
    assertThat(batches.get()).as("batches pushed meanwhile").isGreaterThan(20);
    long violations = await(node.inspect.query(MARKS_ABOVE_LATER_ROWS).execute()).iterator().next().getLong(0);
    assertThat(violations).isZero();
  }

  private static Future<Void> writeUntilStopped(String writer, String ns, AtomicBoolean writing, AtomicInteger batches,
      int round) {
    if (!writing.get()) {
      return Future.succeededFuture();
    }
    JsonArray batch = memories(ns, writer + "-" + round, 20);
    return call("push", Entities.push(writer, batch, new JsonArray(), new JsonArray())).compose(pushed -> {
      batches.incrementAndGet();
      return writeUntilStopped(writer, ns, writing, batches, round + 1);
    });
  }
}
