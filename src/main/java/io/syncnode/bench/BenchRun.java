package io.syncnode.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a server that speaks the protocol: registers the devices, then keeps
 * {@code concurrency} pushes in flight until {@code items} are pushed or the duration is over,
 * printing progress every second.
 */
public final class BenchRun {
  private final Vertx vertx;
  private final BenchOptions options;
  private final PrintStream progress;
  private final WebClient client;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final String content;
  private final Latencies latencies = new Latencies();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong items = new AtomicLong();
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final Map<String, Long> errors = new ConcurrentHashMap<>();
  /** conflict scenario: each device's own counter per shared id. */
  private final Map<String, Long> counters = new ConcurrentHashMap<>();

  public BenchRun(Vertx vertx, BenchOptions options, PrintStream progress) {
    this.vertx = vertx;
    this.options = options;
    this.progress = progress;
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(options.concurrency()));
    this.content = "x".repeat(options.contentBytes());
  }

  public Future<BenchReport> run() {
    return registerDevices().compose(registered -> {
      long started = System.nanoTime();
      long deadline = started + options.durationSeconds() * 1_000_000_000L;
      long timer = vertx.setPeriodic(1000, t -> progress.printf("%6.1f s  %,d items  %,d requests  %d errors%n",
          (System.nanoTime() - started) / 1e9, items.get(), requests.get(),
          errors.values().stream().mapToLong(Long::longValue).sum()));
      List<Future<Void>> loops = new ArrayList<>();
      for (int slot = 0; slot < options.concurrency(); slot++) {
        Promise<Void> done = Promise.promise();
        loop(slot, 0, deadline, done);
        loops.add(done.future());
      }
      return Future.all(loops).map(all -> {
        vertx.cancelTimer(timer);
        client.close();
        return report((System.nanoTime() - started) / 1e9);
      });
    });
  }

  private Future<Void> registerDevices() {
    List<Future<?>> registrations = new ArrayList<>();
    for (int d = 0; d < options.devices(); d++) {
      JsonObject body = new JsonObject().put("device_id", device(d)).put("device_name", "bench " + d)
          .put("platform", "bench").put("client_version", "syncnode-bench");
      registrations.add(post("/api/sync/register", body.toBuffer()).compose(response -> response.statusCode() == 200
          ? Future.succeededFuture()
          : Future.failedFuture("register answered " + response.statusCode() + ": " + response.bodyAsString())));
    }
    return Future.all(registrations).mapEmpty();
  }

  private void loop(int slot, long sequence, long deadline, Promise<Void> done) {
    long claimed = issued.addAndGet(options.batch());
    if (System.nanoTime() >= deadline || claimed - options.batch() >= options.items()) {
      done.complete();
      return;
    }
    int size = (int) Math.min(options.batch(), options.items() - (claimed - options.batch()));
    int device = (int) ((slot + sequence * options.concurrency()) % options.devices());
    Buffer body = pushBody(device, slot, sequence, size);
    long sent = System.nanoTime();
    post("/api/sync/push", body).onComplete(response -> {
      latencies.record(System.nanoTime() - sent);
      requests.incrementAndGet();
      if (response.statusCode() == 200) {
        JsonObject result = response.bodyAsJsonObject();
        items.addAndGet(size);
        accepted.addAndGet(result.getInteger("accepted", 0));
        rejected.addAndGet(result.getInteger("rejected", 0));
        conflicts.addAndGet(result.getJsonArray("conflicts", new JsonArray()).size());
      } else {
        errors.merge(Integer.toString(response.statusCode()), 1L, Long::sum);
      }
      loop(slot, sequence + 1, deadline, done);
    }, error -> {
      requests.incrementAndGet();
      errors.merge("connection", 1L, Long::sum);
      vertx.setTimer(100, t -> loop(slot, sequence + 1, deadline, done));
    });
  }

  private Buffer pushBody(int device, int slot, long sequence, int size) {
    String deviceId = device(device);
    JsonArray memories = new JsonArray();
    for (int i = 0; i < size; i++) {
      String id;
      long counter;
      if (options.scenario() == BenchOptions.Scenario.CONFLICT) {
        // every device edits the same few ids, knowing only its own edits
        id = "bench-" + runId + "-shared-" + (i % Math.max(1, options.batch()));
        counter = counters.merge(deviceId + "/" + id, 1L, Long::sum);
      } else {
        id = "bench-" + runId + "-" + slot + "-" + sequence + "-" + i;
        counter = 1;
      }
      memories.add(new JsonObject().put("id", id).put("content", content).put("type", "fact")
          .put("vector_clock", new JsonObject().put(deviceId, counter)));
    }
    return new JsonObject().put("device_id", deviceId).put("memories", memories).toBuffer();
  }

  private String device(int index) {
    return "bench-" + runId + "-device-" + index;
  }

  private Future<io.vertx.ext.web.client.HttpResponse<Buffer>> post(String path, Buffer body) {
    HttpRequest<Buffer> request = client.postAbs(options.url() + path).putHeader("Content-Type", "application/json");
    if (options.apiKey() != null) {
      request.putHeader("X-API-Key", options.apiKey());
    }
    return request.sendBuffer(body);
  }

  private BenchReport report(double seconds) {
    return new BenchReport(options, seconds, requests.get(), items.get(), accepted.get(), rejected.get(),
        conflicts.get(), latencies.percentileMs(50), latencies.percentileMs(95), latencies.percentileMs(99),
        latencies.percentileMs(100), Map.copyOf(errors));
  }
}
