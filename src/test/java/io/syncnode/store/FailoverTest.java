package io.syncnode.store;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.PrimaryAndStandby;
import io.syncnode.support.PrometheusText;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A failover under load with synchronous replication: clients push and record every item the node
 * accepted; the primary stops, the standby is promoted, and the node (given both in pg.hosts) moves
 * its writes to the new primary by itself. Every accepted item is on the new primary afterwards;
 * in between, pushes are answered 503 with Retry-After.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
class FailoverTest {
  private static final int CLIENTS = 4;
  private static PrimaryAndStandby pair;
  private static TestDatabase db;
  private static Vertx vertx;
  private static TestNode node;

  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger unavailableWithoutRetryAfter = new AtomicInteger();
  private final List<String> otherAnswers = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong promotedAt = new AtomicLong();
  private final AtomicLong firstAcceptedAfterPromotion = new AtomicLong();
  private final AtomicInteger acceptedAfterPromotion = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(PrimaryAndStandby.available(), "PostgreSQL 15 binaries are not installed");
    pair = PrimaryAndStandby.start(true);
    db = TestDatabase.create(FailoverTest.class, "127.0.0.1", pair.primary.port);
    vertx = Vertx.vertx();
    // the standby first: the node must find the primary among the candidates from the start
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_PG_HOSTS",
        pair.standby.address() + "," + pair.primary.address()));
  }

  @AfterAll
  static void stopAll() throws Exception {
    try {
      if (vertx != null) {
        TestNode.stopAndClose(node, vertx);
      }
    } finally {
      if (pair != null) {
        pair.close();
      }
    }
  }

  @Test
  void writesMoveToThePromotedStandbyAndNoAcceptedItemIsLost() throws Exception {
    JsonObject before = await(node.client.get("/ready").send()).bodyAsJsonObject();
    assertThat(before.getJsonObject("database").getString("primary")).isEqualTo(pair.primary.address());
    assertThat(failovers()).as("finding the primary at start is no failover").isZero();

    List<Future<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(client("failover-device-" + c, new AtomicInteger()));
    }
    awaitCondition(() -> accepted.size() >= 40, "40 accepted pushes before the primary stops");
    pair.primary.stop();
    awaitCondition(() -> unavailable.get() >= CLIENTS, "pushes answered 503 while there is no primary");
    promotedAt.set(System.nanoTime());
    pair.standby.promote();
    long promoteReturned = System.nanoTime();
    awaitCondition(() -> acceptedAfterPromotion.get() >= 40, "40 accepted pushes on the new primary");
    stop.set(true);
    await(Future.all(clients));

    System.out.printf("failover: first accepted push %d ms after pg_ctl promote started (%d ms after it returned);"
        + " %d accepted, %d answered 503%n",
        TimeUnit.NANOSECONDS.toMillis(firstAcceptedAfterPromotion.get() - promotedAt.get()),
        TimeUnit.NANOSECONDS.toMillis(firstAcceptedAfterPromotion.get() - promoteReturned), accepted.size(),
        unavailable.get());
    assertThat(otherAnswers).as("answers other than 200 and 503").isEmpty();
    assertThat(unavailableWithoutRetryAfter.get()).as("503 answers without Retry-After").isZero();
    assertThat(mostInFlight.get()).as("the clients' pushes overlapped").isGreaterThan(1);
    assertThat(storedIds()).as("every accepted item is on the new primary").containsAll(accepted);
    assertThat(pulledIds()).as("pulls in pages of 1,000 from the new primary serve every accepted item")
        .containsAll(accepted);

    JsonObject after = await(node.client.get("/ready").send()).bodyAsJsonObject();
    assertThat(after.getString("status")).isEqualTo("ready");
    assertThat(after.getJsonObject("database").getString("primary")).isEqualTo(pair.standby.address());
    assertThat(failovers()).isEqualTo(1.0);
  }

  /** A primary that turns read-only for new transactions leaves the node without a primary until it accepts writes again. */
  @Test
  void aPrimaryThatTurnsReadOnlyMakesTheNodeUnreadyUntilItAcceptsWritesAgain() throws Exception {
    PrimaryAndStandby.Server primary = pair.standby.queryBoolean("postgres", "SELECT NOT pg_is_in_recovery()")
        ? pair.standby : pair.primary;
    primary.execute("postgres", "ALTER SYSTEM SET default_transaction_read_only = on");
    primary.execute("postgres", "SELECT pg_reload_conf()");
    try {
      awaitCondition(() -> readyStatus() == 503, "the node unready");
      HttpResponse<Buffer> refused = await(node.post("/api/sync/push", Entities.pushMemories("read-only-device",
          Entities.memory("read-only-item", "x", clock("read-only-device", 1)))));
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.getHeader("Retry-After")).isNotNull();
    } finally {
      primary.execute("postgres", "ALTER SYSTEM RESET default_transaction_read_only");
      primary.execute("postgres", "SELECT pg_reload_conf()");
    }
    awaitCondition(() -> readyStatus() == 200, "the node ready again");
    HttpResponse<Buffer> stored = await(node.post("/api/sync/push", Entities.pushMemories("read-only-device",
        Entities.memory("read-only-item", "x", clock("read-only-device", 1)))));
    assertThat(stored.statusCode()).isEqualTo(200);
  }

  private static int readyStatus() {
    try {
      return await(node.client.get("/ready").send()).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static double failovers() throws Exception {
    PrometheusText metrics = PrometheusText.parse(await(node.client.get("/metrics").send()).bodyAsString());
    return metrics.value("syncnode_pg_failovers_total", Map.of()).orElseThrow();
  }

  /** Pushes one new memory at a time until stopped, recording the accepted ones; waits 50 ms after a refusal. */
  private Future<Void> client(String device, AtomicInteger sequence) {
    if (stop.get()) {
      return Future.succeededFuture();
    }
    String id = device + "-" + sequence.incrementAndGet();
    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    return node.post("/api/sync/push", Entities.pushMemories(device, Entities.memory(id, "item " + id,
            clock(device, 1))))
        .transform(answer -> {
          inFlight.decrementAndGet();
          boolean stored = answer.succeeded() && answer.result().statusCode() == 200;
          if (stored) {
            record(id, answer.result());
          } else if (answer.succeeded() && answer.result().statusCode() == 503) {
            unavailable.incrementAndGet();
            if (answer.result().getHeader("Retry-After") == null) {
              unavailableWithoutRetryAfter.incrementAndGet();
            }
          } else {
            otherAnswers.add(answer.succeeded() ? answer.result().statusCode() + " " + answer.result().bodyAsString()
                : answer.cause().toString());
          }
          return stored ? Future.succeededFuture() : vertx.timer(50).<Void>mapEmpty();
        })
        .compose(next -> client(device, sequence));
  }

  private void record(String id, HttpResponse<Buffer> answer) {
    if (answer.bodyAsJsonObject().getInteger("accepted") != 1) {
      otherAnswers.add("not accepted: " + answer.bodyAsString());
      return;
    }
    accepted.add(id);
    if (promotedAt.get() != 0) {
      firstAcceptedAfterPromotion.compareAndSet(0, System.nanoTime());
      acceptedAfterPromotion.incrementAndGet();
    }
  }

  private static Set<String> storedIds() throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection conn = pair.standby.connect(db.name()); Statement statement = conn.createStatement();
         ResultSet rows = statement.executeQuery("SELECT id FROM memories")) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    return ids;
  }

  /** Every memory a new device pulls in the contextfs client's pages (served by the node's pull client). */
  private static Set<String> pulledIds() throws Exception {
    Set<String> ids = new HashSet<>();
    long offset = 0;
    while (true) {
      HttpResponse<Buffer> answer = await(node.post("/api/sync/pull",
          Entities.pull("failover-reader", "2020-01-01T00:00:00Z", 1000, offset)));
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
      JsonObject page = answer.bodyAsJsonObject();
      page.getJsonArray("memories").forEach(memory -> ids.add(((JsonObject) memory).getString("id")));
      if (!page.getBoolean("has_more")) {
        return ids;
      }
      offset = page.getLong("next_offset");
    }
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
