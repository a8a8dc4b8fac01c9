package io.syncnode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.LocalCluster;
import io.syncnode.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One of three node processes (the oldest member, Hazelcast's master) is paused (SIGSTOP) for longer
 * than the heartbeat timeout while clients push through all three: the other two stay one cluster
 * and ready (cluster.minMembers=2); after SIGCONT the paused node's in-flight pushes end, 200 or 503,
 * within locks.timeoutMs (plus a margin for a loaded machine), it answers /ready 200 only once the
 * others have taken it back, and no accepted push is lost.
 */
class PausedMemberTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  // a short heartbeat timeout and pause for the suite; -Dpaused.heartbeatSeconds, -Dpaused.pauseSeconds and
  // -Dpaused.clients run the same scenario at the scale of a real pause (e.g. 10, 40, 24)
  private static final int HEARTBEAT_TIMEOUT_S = Integer.getInteger("paused.heartbeatSeconds", 5);
  private static final int PAUSE_S = Integer.getInteger("paused.pauseSeconds", HEARTBEAT_TIMEOUT_S * 2 + 2);
  private static final long LOCK_TIMEOUT_MS = 2_000;
  private static final long DRAIN_MARGIN_MS = 3_000;
  private static final int CLIENTS = Integer.getInteger("paused.clients", 6);
  private static TestDatabase db;

  private record Push(int node, long startedNanos, long endedNanos, int status, String error) {}

  private record ReadyAnswer(int node, long startedNanos, long endedNanos, int status, String body) {}

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create(PausedMemberTest.class);
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @Test
  void theOthersStayOneClusterAndTheResumedNodeDrainsBeforeItIsReady() throws Exception {
    Map<String, String> env = Map.of("SYNCNODE_CLUSTER_MINMEMBERS", "2",
        "SYNCNODE_CLUSTER_HEARTBEATTIMEOUTSECONDS", Integer.toString(HEARTBEAT_TIMEOUT_S),
        "SYNCNODE_LOCKS_TIMEOUTMS", Long.toString(LOCK_TIMEOUT_MS),
        "SYNCNODE_LOCKS_LEASEMS", "3000");
    Vertx vertx = Vertx.vertx();
    try (LocalCluster cluster = LocalCluster.start(db, 3, env)) {
      WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000));
      Map<String, String> accepted = new ConcurrentHashMap<>();
      List<Push> pushes = new CopyOnWriteArrayList<>();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Future<Void>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(push(client, cluster.httpPorts, c % 3, "client-" + c, 0, running, accepted, pushes));
      }
      List<ReadyAnswer> answers = new CopyOnWriteArrayList<>();
      List<Thread> pollers = new ArrayList<>();
      for (int node = 0; node < 3; node++) {
        pollers.add(poll(node, cluster.httpPorts.get(node), running, answers));
      }
      Thread.sleep(2_000);
      long stopped = System.nanoTime();
      cluster.nodes.get(0).signal("STOP");
      Thread.sleep(TimeUnit.SECONDS.toMillis(PAUSE_S));
      int othersLinesAtResume = cluster.nodes.get(1).lines().size();
      long resumed = System.nanoTime();
      cluster.nodes.get(0).signal("CONT");

      // the resumed node comes back: ready within a bounded wait
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && answers.stream()
          .noneMatch(a -> a.node() == 0 && a.startedNanos() > resumed && a.status() == 200)) {
        Thread.sleep(200);
      }
      Thread.sleep(2_000);
      running.set(false);
      Future.all(clients).await(90, TimeUnit.SECONDS);
      for (Thread poller : pollers) {
        poller.join(10_000);
      }

      // the two that were not paused stayed one cluster, and ready, throughout
      for (int node = 1; node < 3; node++) {
        assertThat(cluster.nodes.get(node).lines()).as("node " + node + " output")
            .noneMatch(line -> line.contains("(1 members)"));
        int n = node;
        assertThat(answers.stream().filter(a -> a.node() == n && a.startedNanos() > stopped && a.status() != 200)
            .toList()).as("node " + node + " not ready while node 0 was paused or resuming").isEmpty();
      }
      // the overlap: pushes were in flight on the paused node, and the others accepted pushes meanwhile
      List<Push> inFlight = pushes.stream()
          .filter(p -> p.node() == 0 && p.startedNanos() < stopped && p.endedNanos() > stopped).toList();
      assertThat(inFlight).as("pushes in flight on the paused node").isNotEmpty();
      assertThat(pushes.stream().filter(p -> p.node() != 0 && p.status() == 200
          && p.startedNanos() > stopped && p.endedNanos() < resumed)).as("pushes accepted during the pause").isNotEmpty();
      // in-flight pushes end, 200 or 503, within locks.timeoutMs of the resume
      List<String> slow = new ArrayList<>();
      for (Push p : inFlight) {
        long afterResumeMs = TimeUnit.NANOSECONDS.toMillis(p.endedNanos() - resumed);
        if (afterResumeMs > LOCK_TIMEOUT_MS + DRAIN_MARGIN_MS || (p.status() != 200 && p.status() != 503)) {
          slow.add("status " + p.status() + " after " + afterResumeMs + " ms" + (p.error() == null ? "" : ": " + p.error()));
        }
      }
      System.out.printf("paused member: %d pushes in flight at the pause, ended %s ms after the resume; statuses %s%n",
          inFlight.size(), inFlight.stream().map(p -> TimeUnit.NANOSECONDS.toMillis(p.endedNanos() - resumed) + ":"
              + p.status()).toList(), statuses(pushes));
      cluster.nodes.get(0).lines().stream().filter(line -> line.contains("WARN") || line.contains("ERROR"))
          .forEach(line -> System.out.println("node 0: " + line));
      assertThat(slow).as("in-flight pushes of the paused node that did not end within locks.timeoutMs").isEmpty();
      assertThat(pushes).allMatch(p -> p.status() == 200 || p.status() == 503, "every push answered 200 or 503");

      // the resumed node is not ready until it has rejoined: its first answer after the resume is
      // 503, and every 200 comes after the others logged it joining and after its pushes ended
      List<ReadyAnswer> afterResume = answers.stream().filter(a -> a.node() == 0 && a.startedNanos() > resumed).toList();
      System.out.printf("paused member /ready after resume: %s%n", afterResume.stream()
          .map(a -> TimeUnit.NANOSECONDS.toMillis(a.endedNanos() - resumed) + ":" + a.status()).toList());
      assertThat(afterResume).isNotEmpty();
      assertThat(afterResume.get(0).status()).as(afterResume.get(0).body()).isEqualTo(503);
      ReadyAnswer firstReady = afterResume.stream().filter(a -> a.status() == 200).findFirst().orElse(null);
      assertThat(firstReady).as("the resumed node is ready again").isNotNull();
      long lastInFlightEnd = inFlight.stream().mapToLong(Push::endedNanos).max().orElseThrow();
      assertThat(firstReady.startedNanos()).as("ready only after its in-flight pushes ended")
          .isGreaterThan(lastInFlightEnd);
      for (int node = 1; node < 3; node++) {
        assertThat(cluster.nodes.get(node).lines().subList(Math.min(othersLinesAtResume,
                cluster.nodes.get(node).lines().size()), cluster.nodes.get(node).lines().size()))
            .as("node " + node + " took the resumed node back").anyMatch(line -> line.contains("(3 members)"));
      }

      // no accepted push is lost
      Map<String, String> stored = pullAll(client, cluster.httpPorts.get(1));
      List<String> lost = accepted.entrySet().stream()
          .filter(e -> !e.getValue().equals(stored.get(e.getKey()))).map(Map.Entry::getKey).toList();
      assertThat(accepted).isNotEmpty();
      assertThat(lost).as("accepted memories missing or changed").isEmpty();
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static Map<Integer, Long> statuses(List<Push> pushes) {
    Map<Integer, Long> counts = new HashMap<>();
    pushes.forEach(p -> counts.merge(p.status(), 1L, Long::sum));
    return counts;
  }

  /** Asks the node's /ready every 250 ms while {@code running}, recording every answer (-1: none). */
  private static Thread poll(int node, int port, AtomicBoolean running, List<ReadyAnswer> answers) {
    Thread poller = new Thread(() -> {
      while (running.get()) {
        long started = System.nanoTime();
        int status;
        String body;
        try {
          HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
          status = response.statusCode();
          body = response.body();
        } catch (Exception e) {
          status = -1;
          body = e.toString();
        }
        answers.add(new ReadyAnswer(node, started, System.nanoTime(), status, body));
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "ready-poller-" + node);
    poller.setDaemon(true);
    poller.start();
    return poller;
  }

  /** Pushes two new memories at a time through one node, recording every answer and the memories accepted. */
  private static Future<Void> push(WebClient client, List<Integer> ports, int node, String device, int n,
      AtomicBoolean running, Map<String, String> accepted, List<Push> pushes) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String id = device + "-" + n + "-" + i;
      batch.add(Entities.memory(id, "content of " + id, Entities.clock(device, n + 1)));
    }
    long started = System.nanoTime();
    return client.post(ports.get(node), "127.0.0.1", "/api/sync/push").timeout(60_000)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Entities.pushMemories(device, batch.toArray(JsonObject[]::new)).toBuffer())
        .map(response -> {
          pushes.add(new Push(node, started, System.nanoTime(), response.statusCode(), null));
          if (response.statusCode() == 200 && response.bodyAsJsonObject().getInteger("accepted") == batch.size()) {
            batch.forEach(m -> accepted.put(m.getString("id"), m.getString("content")));
          }
          return (Void) null;
        })
        .otherwise(error -> {
          pushes.add(new Push(node, started, System.nanoTime(), -1, error.toString()));
          return null;
        })
        .compose(v -> push(client, ports, node, device, n + 1, running, accepted, pushes));
  }

  private static Map<String, String> pullAll(WebClient client, int port) throws Exception {
    Map<String, String> stored = new HashMap<>();
    String cursor = null;
    while (true) {
      JsonObject body = new JsonObject().put("device_id", "auditor").put("limit", 1000).put("cursor", cursor);
      var response = client.post(port, "127.0.0.1", "/api/sync/pull").putHeader("Content-Type", "application/json")
          .sendBuffer(body.toBuffer()).await(60, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonObject page = response.bodyAsJsonObject();
      page.getJsonArray("memories").forEach(m -> stored.put(((JsonObject) m).getString("id"),
          ((JsonObject) m).getString("content")));
      cursor = page.getString("cursor");
      if (!page.getBoolean("has_more")) {
        return stored;
      }
    }
  }
}
