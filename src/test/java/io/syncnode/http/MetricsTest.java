package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.metrics.NodeMetrics;
import io.syncnode.support.Entities;
import io.syncnode.support.NodeProcess;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.PrometheusText;
import io.syncnode.support.PrometheusText.Sample;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * GET /metrics: after a register, two pushes (one conflict, one stale), a paged pull and a diff, the
 * node's series say exactly what was done, labelled by route templates and entity types only.
 */
class MetricsTest extends NodeTestBase {
  private static final String DEVICE = "metrics-laptop";
  private static final String OTHER = "metrics-desktop";
  /** The node's client of pull pages. */
  private static final Map<String, String> PULL_CLIENT = Map.of("pool_type", "sql", "pool_name", "syncnode-pg-pull");
  /**
   * Every route template of the node; "/api/" (the prefix route /api/*) for requests answered before
   * reaching an endpoint's route, "" for requests no route matched.
   */
  private static final Set<String> ROUTES = Set.of("", "/api/", "/api/sync/register", "/api/sync/push",
      "/api/sync/pull", "/api/sync/status", "/api/sync/diff", "/api/sync/merkle", "/health", "/ready", "/",
      "/openapi.json", "/metrics");

  private static Future<PrometheusText> scrape(TestNode target) {
    return target.client.get("/metrics").send().map(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      return PrometheusText.parse(response.bodyAsString());
    });
  }

  private static double value(PrometheusText metrics, String name, Map<String, String> labels) {
    return metrics.value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + labels));
  }

  /** Completes once {@code done} holds: change events reach the listener after the push is answered. */
  private static Future<Void> until(BooleanSupplier done) {
    Promise<Void> promise = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    vertx.setPeriodic(0, 10, timer -> {
      if (done.getAsBoolean() || System.nanoTime() > deadline) {
        vertx.cancelTimer(timer);
        promise.complete();
      }
    });
    return promise.future();
  }

  @Test
  void whatTheNodeDidIsCountedUnderBoundedLabels(VertxTestContext test) {
    JsonObject first = Entities.push(DEVICE,
        new JsonArray().add(Entities.memory("mx-1", "one", clock(DEVICE, 1)))
            .add(Entities.memory("mx-2", "two", clock(DEVICE, 1)))
            .add(Entities.memory("mx-3", "three", clock(DEVICE, 1))),
        new JsonArray().add(Entities.session("sx-1", "a session", clock(DEVICE, 1))),
        new JsonArray().add(Entities.edge("mx-1", "mx-2", "relates_to", clock(DEVICE, 1))));
    // Against the stored clocks {laptop: 2}: mx-1 concurrent (conflict), mx-2 stale (rejected),
    // mx-3 newer (accepted), mx-4 new (accepted).
    JsonObject second = Entities.pushMemories(OTHER,
        Entities.memory("mx-1", "one, elsewhere", clock(OTHER, 1)),
        Entities.memory("mx-2", "two, old", clock(DEVICE, 1)),
        Entities.memory("mx-3", "three, later", clock(DEVICE, 2, OTHER, 1)),
        Entities.memory("mx-4", "four", clock(OTHER, 1)));
    JsonObject manifest = new JsonObject().put("device_id", DEVICE)
        .put("memories", new JsonArray()
            .add(new JsonObject().put("id", "mx-1").put("content_hash", "0000000000000000"))
            .add(new JsonObject().put("id", "mx-client-only").put("content_hash", "1111111111111111")))
        .put("sessions", new JsonArray().add(new JsonObject().put("id", "sx-1")))
        .put("edges", new JsonArray());
    String rawPath = "/api/sync/" + UUID.randomUUID();
    String unknownPath = "/no/such/" + UUID.randomUUID();
    JsonObject[] diffed = new JsonObject[1];
    // other tests of the class push to the same database: what this pull got is what it counts
    int[] pulledPages = new int[1];
    int[] pulledEntities = new int[1];
    double[] pullClientBefore = new double[1];
    scrape(node)
        .compose(before -> {
          pullClientBefore[0] = value(before, "vertx_pool_completed_total", PULL_CLIENT);
          assertThat(value(before, "syncnode_verdicts_total", Map.of("type", "memory", "outcome", "accepted")))
              .isZero();
          return call("register", new JsonObject().put("device_id", DEVICE).put("device_name", "laptop")
              .put("platform", "linux").put("client_version", "0.1.0"));
        })
        .compose(registered -> call("push", first))
        .compose(pushed -> {
          assertThat(pushed.getInteger("accepted")).isEqualTo(5);
          return call("push", second);
        })
        .compose(pushed -> {
          assertThat(pushed.getInteger("accepted_memories")).isEqualTo(2);
          assertThat(pushed.getInteger("rejected_memories")).isEqualTo(1);
          assertThat(pushed.getJsonArray("conflicts")).hasSize(1);
          return pullAll(DEVICE, null, 4);
        })
        .compose(pulled -> {
          pulledPages[0] = pulled.pages.size();
          pulledEntities[0] = pulled.memoryIds.size() + pulled.sessionIds.size() + pulled.edgeIds.size();
          assertThat(pulledEntities[0]).isGreaterThanOrEqualTo(6);
          return call("diff", manifest);
        })
        .compose(diff -> {
          diffed[0] = diff;
          return node.post(rawPath, new JsonObject().put("device_id", DEVICE));
        })
        .compose(notFound -> {
          assertThat(notFound.statusCode()).isEqualTo(404);
          return node.client.get(unknownPath).send();
        })
        .compose(notFound -> node.client.request(HttpMethod.valueOf("BREW"), "/health").send())
        .compose(brewed -> until(() -> node.node.changeEventsSeen() >= 4))
        .compose(heard -> scrape(node))
        .onComplete(test.succeeding(metrics -> test.verify(() -> {
          String verdicts = "syncnode_verdicts_total";
          assertThat(value(metrics, verdicts, Map.of("type", "memory", "outcome", "accepted"))).isEqualTo(5);
          assertThat(value(metrics, verdicts, Map.of("type", "memory", "outcome", "rejected"))).isEqualTo(1);
          assertThat(value(metrics, verdicts, Map.of("type", "memory", "outcome", "conflict"))).isEqualTo(1);
          assertThat(value(metrics, verdicts, Map.of("type", "session", "outcome", "accepted"))).isEqualTo(1);
          assertThat(value(metrics, verdicts, Map.of("type", "edge", "outcome", "accepted"))).isEqualTo(1);
          assertThat(value(metrics, verdicts, Map.of("type", "edge", "outcome", "conflict"))).isZero();

          assertThat(value(metrics, "syncnode_push_batch_size_count", Map.of("type", "memory"))).isEqualTo(2);
          assertThat(value(metrics, "syncnode_push_batch_size_sum", Map.of("type", "memory"))).isEqualTo(7);
          assertThat(value(metrics, "syncnode_push_batch_size_bucket", Map.of("type", "memory", "le", "10.0")))
              .isEqualTo(2);
          assertThat(value(metrics, "syncnode_push_batch_size_count", Map.of("type", "session"))).isEqualTo(1);

          // one claim of stripes per batch: memories twice, sessions and edges once
          assertThat(value(metrics, "syncnode_lock_wait_seconds_count", Map.of())).isEqualTo(4);
          assertThat(value(metrics, "syncnode_lock_wait_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(4);
          assertThat(value(metrics, "syncnode_lock_release_seconds_count", Map.of())).isEqualTo(4);
          assertThat(value(metrics, "syncnode_lock_timeouts_total", Map.of())).isZero();

          assertThat(pulledPages[0]).isGreaterThan(1);
          assertThat(value(metrics, "syncnode_pull_pages_total", Map.of())).isEqualTo(pulledPages[0]);
          assertThat(value(metrics, "syncnode_pull_page_entities_count", Map.of())).isEqualTo(pulledPages[0]);
          assertThat(value(metrics, "syncnode_pull_page_entities_sum", Map.of())).isEqualTo(pulledEntities[0]);
          assertThat(value(metrics, "syncnode_pull_page_entities_max", Map.of())).isEqualTo(4);

          JsonObject diff = diffed[0];
          assertThat(value(metrics, "syncnode_diff_manifest_entries_count", Map.of())).isEqualTo(1);
          assertThat(value(metrics, "syncnode_diff_manifest_entries_sum", Map.of())).isEqualTo(3);
          assertThat(value(metrics, "syncnode_diff_differences_sum", Map.of())).isEqualTo(
              diff.getInteger("total_missing") + diff.getInteger("total_deleted")
                  + diff.getInteger("total_server_missing"))
              .isPositive();

          assertThat(value(metrics, "syncnode_change_events_total", Map.of())).isEqualTo(4);
          assertThat(value(metrics, "syncnode_changed_entities_total", Map.of())).isEqualTo(7);
          assertThat(value(metrics, "syncnode_cluster_members", Map.of())).isEqualTo(1);

          Map<String, String> push200 = Map.of("route", "/api/sync/push", "method", "POST", "code", "200");
          assertThat(value(metrics, "vertx_http_server_requests_total", push200)).isEqualTo(2);
          assertThat(value(metrics, "vertx_http_server_response_time_seconds_count", push200)).isEqualTo(2);
          assertThat(metrics.all("vertx_http_server_response_time_seconds_bucket", push200))
              .extracting(sample -> sample.labels().get("le")).contains("0.1", "1.0", "+Inf");
          assertThat(value(metrics, "vertx_http_server_requests_total",
              Map.of("route", "/api/sync/pull", "method", "POST", "code", "200"))).isEqualTo(pulledPages[0]);
          assertThat(value(metrics, "vertx_http_server_requests_total",
              Map.of("route", "/api/", "method", "POST", "code", "404"))).isEqualTo(1);
          assertThat(value(metrics, "vertx_http_server_requests_total",
              Map.of("route", "", "method", "GET", "code", "404"))).isEqualTo(1);
          assertThat(value(metrics, "vertx_http_server_requests_total",
              Map.of("route", "", "method", "other", "code", "405"))).isEqualTo(1);
          Set<String> routes = new TreeSet<>();
          Set<String> methods = new TreeSet<>();
          for (Sample sample : metrics.samples()) {
            if (sample.name().startsWith("vertx_http_server_") && sample.labels().containsKey("route")) {
              routes.add(sample.labels().get("route"));
              methods.add(sample.labels().get("method"));
            }
          }
          assertThat(ROUTES).containsAll(routes);
          assertThat(routes).doesNotContain(rawPath, unknownPath);
          assertThat(methods).containsOnly("GET", "POST", "other");

          Map<String, String> pool = Map.of("pool_type", "sql", "pool_name", "syncnode-pg");
          assertThat(value(metrics, "vertx_pool_completed_total", pool)).isPositive();
          assertThat(metrics.value("vertx_pool_in_use", pool)).isPresent();
          assertThat(metrics.all("vertx_pool_queue_time_seconds_bucket", pool)).isNotEmpty();
          // each page of up to 1,000: at least a read per type and the record of the pull
          assertThat(value(metrics, "vertx_pool_completed_total", PULL_CLIENT) - pullClientBefore[0])
              .isGreaterThanOrEqualTo(4.0 * pulledPages[0]);

          assertThat(value(metrics, "vertx_eventbus_sent_total",
              Map.of("address", "syncnode.memories.push", "side", "local"))).isEqualTo(2);
          assertThat(value(metrics, "vertx_eventbus_published_total",
              Map.of("address", "syncnode.changes", "side", "local"))).isEqualTo(4);
          assertThat(metrics.all("vertx_eventbus_handlers", Map.of("address", "syncnode.memories.stream")))
              .isNotEmpty();
          assertThat(metrics.samples()).noneMatch(sample -> sample.labels().getOrDefault("address", "")
              .startsWith("syncnode.memories.stream."));

          assertThat(metrics.all("jvm_memory_used_bytes", Map.of())).isNotEmpty();
          assertThat(metrics.all("jvm_threads_live_threads", Map.of())).isNotEmpty();
          assertThat(metrics.all("jvm_gc_memory_allocated_bytes_total", Map.of())).isNotEmpty();
          test.completeNow();
        })));
  }

  @Test
  void eachNodeOfTheJvmCountsOnlyWhatItDid() throws Exception {
    NodeMetrics ownMetrics = NodeMetrics.create(true);
    Vertx own = ownMetrics.vertxBuilder(new VertxOptions()).build();
    TestNode other = TestNode.startAndWait(own, db, Map.of(), ownMetrics);
    try {
      Map<String, String> accepted = Map.of("type", "memory", "outcome", "accepted");
      Map<String, String> push200 = Map.of("route", "/api/sync/push", "method", "POST", "code", "200");
      PrometheusText mainBefore = await(scrape(node));
      assertThat(await(other.post("/api/sync/push", Entities.pushMemories("own-dev",
          Entities.memory("own-1", "mine", clock("own-dev", 1))))).statusCode()).isEqualTo(200);
      PrometheusText otherAfter = await(scrape(other));
      PrometheusText mainAfter = await(scrape(node));

      assertThat(value(otherAfter, "syncnode_verdicts_total", accepted)).isEqualTo(1);
      assertThat(value(otherAfter, "vertx_http_server_requests_total", push200)).isEqualTo(1);
      assertThat(value(mainAfter, "syncnode_verdicts_total", accepted))
          .isEqualTo(value(mainBefore, "syncnode_verdicts_total", accepted));
      assertThat(mainAfter.value("vertx_http_server_requests_total", push200))
          .isEqualTo(mainBefore.value("vertx_http_server_requests_total", push200));
    } finally {
      TestNode.stopAndClose(other, own);
    }
  }

  @Test
  void withMetricsDisabledThereIsNoMetricsRoute() throws Exception {
    Vertx plain = Vertx.vertx();
    TestNode off = TestNode.startAndWait(plain, db, Map.of("SYNCNODE_METRICS_ENABLED", "false"));
    try {
      assertThat(await(off.client.get("/metrics").send()).statusCode()).isEqualTo(404);
      assertThat(await(off.post("/api/sync/push", Entities.pushMemories("off-dev",
          Entities.memory("off-1", "counted nowhere", clock("off-dev", 1))))).statusCode()).isEqualTo(200);
    } finally {
      TestNode.stopAndClose(off, plain);
    }
  }

  @Test
  void aNodeInItsOwnProcessServesVertxSeriesToo() throws Exception {
    int port = TestNode.freePort();
    try (NodeProcess process = NodeProcess.start(db.environment(Map.of("SYNCNODE_HTTP_PORT", Integer.toString(port))))) {
      process.awaitListening(120);
      WebClient client = WebClient.create(vertx);
      try {
        assertThat(await(client.get(port, "127.0.0.1", "/health").send()).statusCode()).isEqualTo(200);
        var response = await(client.get(port, "127.0.0.1", "/metrics").send());
        assertThat(response.statusCode()).isEqualTo(200);
        PrometheusText metrics = PrometheusText.parse(response.bodyAsString());
        assertThat(value(metrics, "vertx_http_server_requests_total",
            Map.of("route", "/health", "method", "GET", "code", "200"))).isEqualTo(1);
        assertThat(metrics.all("vertx_pool_in_use", Map.of("pool_name", "syncnode-pg"))).isNotEmpty();
        assertThat(metrics.all("vertx_eventbus_handlers", Map.of("address", "syncnode.memories.push"))).isNotEmpty();
        assertThat(metrics.all("jvm_memory_used_bytes", Map.of())).isNotEmpty();
        assertThat(value(metrics, "syncnode_cluster_members", Map.of())).isEqualTo(1);
      } finally {
        client.close();
      }
    }
  }

}
