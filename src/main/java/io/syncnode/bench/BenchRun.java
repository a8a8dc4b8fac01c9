package io.syncnode.bench;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.syncnode.bench.BenchOptions.PullMode;
import io.syncnode.bench.BenchOptions.Scenario;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a server that speaks the protocol: registers the devices, pushes the data a read
 * scenario needs, then keeps {@code concurrency} requests in flight until {@code items} items
 * are moved or the duration is over, printing progress every second.
 */
public final class BenchRun {
  private final Vertx vertx;
  private final BenchOptions options;
  private final PrintStream progress;
  /**
   * Each request slot's client (one connection per server) and the event-loop context its requests
   * go out from and its answers are counted on: the slots' answers are counted on as many threads
   * as there are event loops, as the clients of as many devices would count them, rather than in
   * turn on one thread while the other cores wait.
   */
  private final List<HttpClientAgent> clients;
  private final List<Context> contexts;
  private final RunNames names = RunNames.random();
  /** Every pushed memory's content and namespace, as JSON strings quoted once for the whole run. */
  private final SerializableString content;
  private final SerializableString namespaceJson;
  private final AtomicLong pushSequence = new AtomicLong();
  /** conflict scenario: each device's own counter per shared id. */
  private final Map<String, Long> counters = new ConcurrentHashMap<>();
  /** ids pushed so far, for diff manifests. */
  private final List<String> pushedIds = java.util.Collections.synchronizedList(new ArrayList<>());
  private final boolean keepsPushedIds;

  public BenchRun(Vertx vertx, BenchOptions options, PrintStream progress) {
    this.vertx = vertx;
    this.options = options;
    this.progress = progress;
    List<HttpClientAgent> clients = new ArrayList<>();
    List<Context> contexts = new ArrayList<>();
    for (int slot = 0; slot < options.concurrency(); slot++) {
      clients.add(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1)));
      contexts.add(((VertxInternal) vertx).createEventLoopContext());
    }
    this.clients = List.copyOf(clients);
    this.contexts = List.copyOf(contexts);
    this.content = new SerializedString("x".repeat(options.contentBytes()));
    this.namespaceJson = new SerializedString(names.namespace());
    this.keepsPushedIds = options.scenario() == Scenario.DIFF || options.scenario() == Scenario.MIXED;
  }

  /** One request of the workload: what to send and how many items it moves. */
  private record Call(String path, Buffer body, int size, String kind, int slot) {}

  /**
   * An answer to a request of the workload: its status, its length, and its summary when it is a
   * 200, or else its body (an error, small).
   */
  private record Answer(int status, long bytes, ResponseSummary summary, Buffer errorBody) {}

  public Future<BenchReport> run() {
    // Every request goes out from its slot's event-loop context, the one of its connection: an
    // answer's future then completes on the thread that reads it, and the handler that counts its
    // bytes is set before they come.
    // The progress timer runs from the start and prints the progress of every stage, the warm-up's
    // too: code first run when measuring starts (the timer, or the formatting of its line) loaded
    // classes that made this tool's compiled request code invalid, and its JIT compiled that code
    // again while it measured.
    long timer = vertx.setPeriodic(1000, t -> {
      Stage stage = current;
      if (stage != null) {
        progress.print(stage.line.next(System.nanoTime(), stage.tally.items.get(), stage.tally.requests.get(),
            stage.tally.errorCount()));
      }
    });
    Future<Void> registered = Future.future(done ->
        vertx.getOrCreateContext().runOnContext(v -> registerDevices().onComplete(done)));
    return registered.compose(v -> firstPulls()).compose(v -> seed()).compose(v -> warmUpAndMeasure()).map(stage -> {
      clients.forEach(HttpClientAgent::close);
      return report(stage, (System.nanoTime() - stage.startedNanos) / 1e9);
    }).eventually(() -> {
      vertx.cancelTimer(timer);
      return Future.succeededFuture();
    });
  }

  /** The stage begun last. */
  private volatile Stage current;

  /**
   * A stretch of the run: its loops send the requests of {@code calls} until {@code limit} items
   * are sent or {@code durationSeconds} have passed since the stage began, and count the answers in
   * its tally.
   */
  private final class Stage {
    final long limit;
    final long durationSeconds;
    final CallSource calls;
    final Tally tally = new Tally();
    final AtomicLong issued = new AtomicLong();
    /** Printed when the stage begins. */
    final String title;
    private boolean begun;
    volatile long startedNanos;
    volatile long deadline = Long.MAX_VALUE;
    volatile ProgressLine line;

    /** {@code durationSeconds}: 0 for a stage that ends only by its items. */
    Stage(long limit, long durationSeconds, CallSource calls, String title) {
      this.limit = limit;
      this.durationSeconds = durationSeconds;
      this.calls = calls;
      this.title = title;
    }

    /** Begins the stage if no slot has yet: the first slot to reach it does. */
    synchronized void begin() {
      if (begun) {
        return;
      }
      begun = true;
      progress.print(title);
      startedNanos = System.nanoTime();
      if (durationSeconds > 0) {
        deadline = startedNanos + durationSeconds * 1_000_000_000L;
      }
      line = new ProgressLine(startedNanos);
      current = this;
    }

    boolean over() {
      return issued.get() >= limit || System.nanoTime() >= deadline;
    }
  }

  /**
   * With --pull-mode offset, each reader pulls once before the data is pushed, as a client that
   * synced before, and keeps that pull's {@code server_timestamp} as the {@code since_timestamp}
   * of all its pages.
   */
  private Future<Void> firstPulls() {
    boolean pulls = options.scenario() == Scenario.PULL || options.scenario() == Scenario.MIXED;
    if (!pulls || options.pullMode() != PullMode.OFFSET) {
      return Future.succeededFuture();
    }
    List<Future<?>> pulled = new ArrayList<>();
    for (int slot = 0; slot < options.concurrency(); slot++) {
      int reader = slot;
      JsonObject body = new JsonObject().put("device_id", readerId(reader)).put("limit", 1);
      pulled.add(postSummarized(reader, "/api/sync/pull", body.toBuffer()).compose(answer -> {
        String time = answer.summary() != null ? answer.summary().serverTimestamp() : null;
        if (time == null) {
          return Future.failedFuture("first pull answered " + answer.status() + ": " + answer.errorBody());
        }
        pullSince.put(reader, time);
        return Future.succeededFuture();
      }));
    }
    return Future.all(pulled).mapEmpty();
  }

  /** The read scenarios first push the data they read; that stage is not measured. */
  private Future<Void> seed() {
    long seedItems = switch (options.scenario()) {
      case PULL, DIFF -> options.items();
      case MIXED -> options.items() / 2;
      default -> 0;
    };
    if (seedItems == 0) {
      return Future.succeededFuture();
    }
    String title = String.format(Locale.ROOT, "pushing %,d memories to read%n", seedItems);
    return loops(List.of(new Stage(seedItems, 0, slot -> pushCall(slot, options.batch()), title)));
  }

  /**
   * Moves --warmup items as the measured stage will, over the same connections and with the same
   * devices, so that neither the server's JIT nor this tool's is still compiling when measuring
   * starts, and then the measured stage's items, without a pause between the two: each slot goes
   * on to the measured stage as soon as the warm-up's items are sent, while the warm-up's last
   * answers still arrive (counted in the warm-up's tally). Loops that stopped and started again took
   * code paths that the warmed-up code of this tool had never taken: its JIT compiled that code
   * again, about a twentieth of the machine's CPU, while it measured a pull.
   *
   * @return the measured stage, once its loops are done
   */
  private Future<Stage> warmUpAndMeasure() {
    String scenario = options.scenario().name().toLowerCase(Locale.ROOT);
    Stage measure = new Stage(options.itemsToMove(), options.durationSeconds(), this::nextCall,
        String.format(Locale.ROOT, "measuring: %s, %,d items%n", scenario, options.itemsToMove()));
    if (options.warmup() == 0) {
      return loops(List.of(measure)).map(measure);
    }
    Stage warmUp = new Stage(options.warmup(), 0, this::nextCall,
        String.format(Locale.ROOT, "warming up: %,d items%n", options.warmup()));
    return loops(List.of(warmUp, measure)).map(measure);
  }

  private Call nextCall(int slot) {
    return switch (options.scenario()) {
      case PUSH, CONFLICT -> pushCall(slot, options.batch());
      case PULL -> pullCall(slot);
      case DIFF -> diffCall(slot);
      case MIXED -> {
        int roll = ThreadLocalRandom.current().nextInt(10);
        yield roll < 6 ? pushCall(slot, options.batch()) : roll < 9 ? pullCall(slot) : diffCall(slot);
      }
    };
  }

  private interface CallSource {
    Call next(int slot);
  }

  /** Keeps a request in flight per slot (--concurrency of them) through the stages, in order. */
  private Future<Void> loops(List<Stage> stages) {
    List<Future<Void>> loops = new ArrayList<>();
    stages.get(0).begin();
    for (int slot = 0; slot < options.concurrency(); slot++) {
      Promise<Void> done = Promise.promise();
      loop(slot, stages, 0, done);
      loops.add(done.future());
    }
    return Future.all(loops).mapEmpty();
  }

  private void loop(int slot, List<Stage> stages, int index, Promise<Void> done) {
    Stage stage = stages.get(index);
    if (stage.over()) {
      if (index + 1 == stages.size()) {
        done.complete();
      } else {
        stages.get(index + 1).begin();
        loop(slot, stages, index + 1, done);
      }
      return;
    }
    Call call = stage.calls.next(slot);
    stage.issued.addAndGet(call.size());
    Tally tally = stage.tally;
    long sent = System.nanoTime();
    postSummarized(call.slot(), call.path(), call.body()).onComplete(answer -> {
      tally.latencies.record(System.nanoTime() - sent);
      tally.requests.incrementAndGet();
      tally.bytesSent.addAndGet(call.body().length());
      tally.bytesReceived.addAndGet(answer.bytes());
      if (answer.summary() != null) {
        count(call, answer.summary(), tally);
      } else {
        tally.error(Integer.toString(answer.status()));
      }
      loop(slot, stages, index, done);
    }, error -> {
      tally.requests.incrementAndGet();
      tally.error("connection");
      vertx.setTimer(100, t -> loop(slot, stages, index, done));
    });
  }

  private void count(Call call, ResponseSummary result, Tally tally) {
    switch (call.kind()) {
      case "push" -> {
        tally.items.addAndGet(call.size());
        tally.accepted.addAndGet(result.accepted());
        tally.rejected.addAndGet(result.rejected());
        tally.conflicts.addAndGet(result.conflicts());
      }
      case "pull" -> {
        tally.items.addAndGet(result.memories());
        // page on while there is more, then start over from the beginning
        if (result.hasMore()) {
          pullOffsets.put(call.slot(), result.nextOffset());
          if (result.cursor() != null) {
            pullCursors.put(call.slot(), result.cursor());
          }
        } else {
          pullOffsets.remove(call.slot());
          pullCursors.remove(call.slot());
        }
      }
      default -> tally.items.addAndGet(call.size());
    }
  }

  /** Each slot's position in the feed, for the pull scenario's paging loop: an offset, or a cursor. */
  private final Map<Integer, Long> pullOffsets = new ConcurrentHashMap<>();
  private final Map<Integer, String> pullCursors = new ConcurrentHashMap<>();
  /** --pull-mode offset: each slot's since_timestamp, the time of its reader's first pull. */
  private final Map<Integer, String> pullSince = new ConcurrentHashMap<>();

  private Call pushCall(int slot, int size) {
    long sequence = pushSequence.getAndIncrement();
    int device = (int) (sequence % options.devices());
    String deviceId = names.device(device);
    RequestBodies.Push body = RequestBodies.push(deviceId);
    for (int i = 0; i < size; i++) {
      String id;
      long counter;
      if (options.scenario() == Scenario.CONFLICT) {
        // every device edits the same few ids, knowing only its own edits
        id = names.id("shared-" + (i % Math.max(1, options.batch())));
        counter = counters.merge(deviceId + "/" + id, 1L, Long::sum);
      } else {
        id = names.id(sequence + "-" + i);
        counter = 1;
        if (keepsPushedIds) {
          pushedIds.add(id);
        }
      }
      body.memory(id, content, namespaceJson, counter);
    }
    return new Call("/api/sync/push", body.end(), size, "push", slot);
  }

  private Call pullCall(int slot) {
    JsonObject body = new JsonObject().put("device_id", readerId(slot))
        .put("namespace_ids", new JsonArray().add(names.namespace())).put("limit", options.page());
    if (options.pullMode() == PullMode.OFFSET) {
      body.put("since_timestamp", pullSince.get(slot)).put("offset", pullOffsets.getOrDefault(slot, 0L));
    } else {
      String cursor = pullCursors.get(slot);
      if (cursor != null) {
        body.put("cursor", cursor);
      }
    }
    return new Call("/api/sync/pull", body.toBuffer(), options.page(), "pull", slot);
  }

  private String readerId(int slot) {
    return names.id("reader-" + slot);
  }

  /**
   * A whole manifest, as clients send it: every id pushed so far (the server holds the same, so
   * little comes back). Built again only when more ids were pushed since the last one.
   */
  private Call diffCall(int slot) {
    Buffer body;
    int entries;
    synchronized (pushedIds) {
      entries = pushedIds.size();
      if (manifestBody == null || manifestEntries != entries) {
        manifestBody = RequestBodies.diff(names.device(0), names.namespace(), pushedIds);
        manifestEntries = entries;
      }
      body = manifestBody;
    }
    return new Call("/api/sync/diff", body, entries, "diff", slot);
  }

  private Buffer manifestBody;
  private int manifestEntries;

  private Future<Void> registerDevices() {
    List<Future<?>> registrations = new ArrayList<>();
    for (int d = 0; d < options.devices(); d++) {
      JsonObject body = new JsonObject().put("device_id", names.device(d)).put("device_name", "bench " + d)
          .put("platform", "bench").put("client_version", "syncnode-bench");
      registrations.add(postSummarized(d, "/api/sync/register", body.toBuffer()).compose(answer -> answer.status() == 200
          ? Future.succeededFuture()
          : Future.failedFuture("register answered " + answer.status() + ": " + answer.errorBody())));
    }
    return Future.all(registrations).mapEmpty();
  }

  /**
   * Posts to the n-th of the --url servers (round robin, by request slot or device), with the
   * answer summarized chunk by chunk as it arrives rather than held whole.
   */
  private Future<Answer> postSummarized(int n, String path, Buffer body) {
    int slot = n % clients.size();
    Context context = contexts.get(slot);
    if (Vertx.currentContext() == context) {
      return post(slot, n, path, body);
    }
    Promise<Answer> answer = Promise.promise();
    context.runOnContext(v -> post(slot, n, path, body).onComplete(answer));
    return answer.future();
  }

  private Future<Answer> post(int slot, int n, String path, Buffer body) {
    List<String> urls = options.urls();
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(urls.get(n % urls.size()) + path).putHeader("Content-Type", "application/json");
    if (options.apiKey() != null) {
      request.putHeader("X-API-Key", options.apiKey());
    }
    return clients.get(slot).request(request).compose(sending -> sending.send(body)).compose(response -> {
      boolean ok = response.statusCode() == 200;
      CountedArrays counted = new CountedArrays();
      Buffer errorBody = Buffer.buffer();
      long[] bytes = {0};
      response.handler(chunk -> {
        bytes[0] += chunk.length();
        if (ok) {
          counted.feed(chunk);
        } else {
          errorBody.appendBuffer(chunk);
        }
      });
      return response.end().map(end -> ok
          ? new Answer(200, bytes[0], ResponseSummary.ofCounted(counted.end()), null)
          : new Answer(response.statusCode(), bytes[0], null, errorBody));
    });
  }

  private BenchReport report(Stage stage, double seconds) {
    Tally tally = stage.tally;
    Latencies latencies = tally.latencies;
    return new BenchReport(options, seconds, tally.requests.get(), tally.items.get(), tally.bytesSent.get(),
        tally.bytesReceived.get(), tally.accepted.get(), tally.rejected.get(), tally.conflicts.get(),
        latencies.meanMs(), latencies.stddevMs(), latencies.percentileMs(50), latencies.percentileMs(95),
        latencies.percentileMs(99), latencies.percentileMs(100), Map.copyOf(tally.errors), null);
  }
}
