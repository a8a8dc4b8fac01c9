package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.syncnode.store.FeedWatermark;
import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.PrometheusText;
import io.syncnode.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.syncnode.metrics.NodeMetrics;
import io.syncnode.support.TestNode;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Only a transaction that writes the synced tables holds the feed back: one open in another
 * database, or in the node's database on a table that is not synced, does not delay a pull.
 */
class FeedWatermarkTest extends NodeTestBase {
  /** Hides NodeTestBase's: a node that warns of a held-back feed after one second. */
  @BeforeAll
  static void startNode() throws Exception {
    metrics = NodeMetrics.create(true);
    vertx = metrics.vertxBuilder(new VertxOptions()).build();
    db = TestDatabase.create(FeedWatermarkTest.class);
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_FEED_LAGWARNMS", "1000"), metrics);
  }

  private static final String SLOW_WRITE = "INSERT INTO memories (tenant_id, id, vector_clock, created_at, updated_at,"
      + " content, type, tags, namespace_id, metadata, change_pos, changed_at)"
      + " VALUES ('default', $1, '{}', now(), now(), 'slow', 'fact', '{}', $2, '{}',"
      + " pg_current_xact_id()::text::bigint * 1048576 + 1, statement_timestamp())";

  private record Held(SqlConnection conn, Transaction tx) {
    Future<Void> rollback() {
      return tx.rollback().eventually(conn::close);
    }
  }

  private static Future<Held> hold(Pool pool, String sql, Tuple params) {
    return pool.getConnection().compose(conn -> conn.begin()
        .compose(tx -> conn.preparedQuery(sql).execute(params).map(done -> new Held(conn, tx))));
  }

  private static Pool otherDatabase() {
    return PgBuilder.pool()
        .connectingTo(new PgConnectOptions().setHost(TestDatabase.HOST).setPort(Integer.parseInt(TestDatabase.PORT))
            .setUser(TestDatabase.USER).setPassword(TestDatabase.PASSWORD).setDatabase("postgres"))
        .using(vertx).build();
  }

  private static JsonObject pull(String device, String ns, String cursor) {
    return new JsonObject().put("device_id", device).put("namespace_ids", new JsonArray().add(ns)).put("limit", 50)
        .put("cursor", cursor);
  }

  private static List<String> memoryIds(JsonObject page) {
    List<String> ids = new ArrayList<>();
    page.getJsonArray("memories").forEach(m -> ids.add(((JsonObject) m).getString("id")));
    return ids;
  }

  /** Pushes a memory and answers the ids a cursor pull from before the push gets. */
  private static Future<List<String>> pushedAfterCursor(String ns) {
    String device = unique("reader");
    String id = unique("pushed");
    return call("pull", pull(device, ns, null))
        .compose(first -> call("push", Entities.pushMemories("writer",
                Entities.memory(id, "c", clock("writer", 1)).put("namespace_id", ns)))
            .compose(pushed -> call("pull", pull(device, ns, first.getString("cursor")))))
        .map(FeedWatermarkTest::memoryIds);
  }

  /** While {@code writer} is open: a push, and the ids a pull by cursor from before it gets. */
  private static Future<List<String>> pushedWhileHeld(Future<Held> writer, String ns) {
    return writer.compose(held -> pushedAfterCursor(ns).eventually(held::rollback));
  }

  @Test
  void aWriteTransactionInAnotherDatabaseDoesNotHoldTheFeedBack(VertxTestContext test) {
    String ns = unique("other-db");
    Pool other = otherDatabase();
    pushedWhileHeld(hold(other, "SELECT pg_current_xact_id()", Tuple.tuple()), ns)
        .eventually(other::close)
        .onComplete(test.succeeding(ids -> test.verify(() -> {
          assertThat(ids).hasSize(1);
          test.completeNow();
        })));
  }

  @Test
  void aWriteToATableThatIsNotSyncedDoesNotHoldTheFeedBack(VertxTestContext test) {
    String ns = unique("unsynced");
    String table = "scratch_" + ns.replace('-', '_');
    node.inspect.query("CREATE TABLE " + table + " (v int)").execute()
        .compose(created -> pushedWhileHeld(
            hold(node.inspect, "INSERT INTO " + table + " VALUES (1)", Tuple.tuple()), ns))
        .eventually(() -> node.inspect.query("DROP TABLE " + table).execute())
        .onComplete(test.succeeding(ids -> test.verify(() -> {
          assertThat(ids).hasSize(1);
          test.completeNow();
        })));
  }

  /**
   * A writer of the synced tables does hold the feed's bound back (it may still commit below what
   * would be served; ExactFeedTest shows what follows), and the node says so: the lag gauge grows, and past feed.lagWarnMs a WARN names the
   * holding backend and its age.
   */
  @Test
  void aSyncedTableWriterHoldsTheFeedBackAndIsReported(VertxTestContext test) throws Exception {
    String ns = unique("synced");
    Logger logger = (Logger) LoggerFactory.getLogger(FeedWatermark.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    logger.addAppender(warnings);
    List<Held> held = new ArrayList<>();
    int[] pid = new int[1];
    java.time.Instant[] writerStart = new java.time.Instant[1];
    String[] resumeAt = new String[1];
    hold(node.inspect, SLOW_WRITE, Tuple.of(unique("slow"), ns))
        .compose(h -> {
          held.add(h);
          return h.conn().query("SELECT pg_backend_pid(), now()").execute().map(rows -> {
            writerStart[0] = rows.iterator().next().getOffsetDateTime(1).toInstant();
            return pid[0] = rows.iterator().next().getInteger(0);
          });
        })
        .compose(p -> pushedAfterCursor(ns))
        .compose(ids -> {
          // stored, so served (a pull hides no row), while the cursor stays below the open writer
          assertThat(ids).hasSize(1);
          // past the node's threshold (feed.lagWarnMs = 1000 in this class), pulled again
          return Future.future(p -> vertx.setTimer(1_500, t -> p.complete()))
              .compose(w -> call("pull", pull(unique("reader"), ns, null)))
              .compose(page -> {
                resumeAt[0] = page.getString("server_timestamp");
                return node.client.get("/metrics").send();
              });
        })
        .eventually(() -> held.get(0).rollback())
        .onComplete(test.succeeding(metricsPage -> test.verify(() -> {
          logger.detachAppender(warnings);
          double lag = PrometheusText.parse(metricsPage.bodyAsString()).value("syncnode_feed_lag_seconds", Map.of()).orElse(0.0);
          assertThat(lag).isGreaterThanOrEqualTo(1.0);
          // the time to resume from lies before the open writer began: its rows are changed after it
          assertThat(java.time.Instant.parse(resumeAt[0])).isBefore(writerStart[0]);
          assertThat(warnings.list).anySatisfy(event -> {
            assertThat(event.getLevel().toString()).isEqualTo("WARN");
            assertThat(event.getFormattedMessage()).contains("pid " + pid[0]);
          });
          test.completeNow();
        })));
  }
}
