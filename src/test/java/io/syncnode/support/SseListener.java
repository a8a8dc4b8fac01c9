package io.syncnode.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A client of a node's /api/sync/events that parses the stream as a browser would, for a test to take events in order. */
public final class SseListener implements AutoCloseable {
  private static final long WAIT_SECONDS = 30;

  /** A dispatched event: its id field if it had one, its name, its data. */
  public record Event(String id, String name, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final HttpClient client;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> status = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private volatile String lastEventId;
  private Buffer pending = Buffer.buffer();

  private SseListener(HttpClient client) {
    this.client = client;
  }

  // Called on the event loop once the response head has arrived.
  private void attach(HttpClientResponse response) {
    status.complete(response.statusCode());
    try {
      response.handler(this::feed);
      response.endHandler(v -> ended.complete(null));
      response.exceptionHandler(ended::completeExceptionally);
    } catch (IllegalStateException alreadyEnded) {
      // a short answer (a refusal) can have ended before this runs: nothing more will arrive
      ended.complete(null);
    }
  }

  /** Opens the stream with {@code headers} (e.g. Last-Event-ID, X-API-Key) and waits for its status line. */
  public static SseListener open(Vertx vertx, int port, String uri, Map<String, String> headers) throws Exception {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(uri);
    headers.forEach(options::putHeader);
    SseListener listener = new SseListener(client);
    // Sent from one event-loop context, so that the response's head and its first bytes (which the
    // node writes at once) are handled on the same thread and the handlers are set in between.
    // Sent from a test thread, the answer's future could complete on another event loop than the
    // connection's, after the first bytes had arrived with no handler to take them.
    vertx.getOrCreateContext().runOnContext(v -> client.request(options).compose(request -> request.send())
        .onComplete(listener::attach, listener.status::completeExceptionally));
    listener.status.get(WAIT_SECONDS, TimeUnit.SECONDS);
    return listener;
  }

  /** Opens the stream and waits for its first bytes, after which it hears every change. */
  public static SseListener started(Vertx vertx, int port, Map<String, String> headers) throws Exception {
    SseListener listener = open(vertx, port, "/api/sync/events", headers);
    assertThat(listener.status()).isEqualTo(200);
    listener.started.get(WAIT_SECONDS, TimeUnit.SECONDS);
    return listener;
  }

  public int status() {
    return status.join();
  }

  // Blocks are cut at blank lines in the bytes: a line feed is never part of a multi-byte character.
  private synchronized void feed(Buffer bytes) {
    started.complete(null);
    pending.appendBuffer(bytes);
    byte[] all = pending.getBytes();
    int consumed = 0;
    for (int i = 0; i + 1 < all.length; i++) {
      if (all[i] == '\n' && all[i + 1] == '\n') {
        block(new String(all, consumed, i - consumed, StandardCharsets.UTF_8));
        consumed = i + 2;
        i++;
      }
    }
    pending = pending.getBuffer(consumed, all.length);
  }

  private void block(String block) {
    String id = null;
    String name = "message";
    StringBuilder data = null;
    for (String line : block.split("\n", -1)) {
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
      switch (field) {
        case "id" -> id = value;
        case "event" -> name = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> { }
      }
    }
    if (id != null) {
      lastEventId = id;
    }
    if (data != null) {
      events.add(new Event(id, name, data.toString()));
    }
  }

  /** The next event. */
  public Event next() throws InterruptedException {
    return next(event -> true);
  }

  /** The next event {@code wanted} accepts, skipping the others. */
  public Event next(Predicate<Event> wanted) throws InterruptedException {
    return Await.next(events, wanted, WAIT_SECONDS, "an event");
  }

  /** The id a browser would send as Last-Event-ID if it reconnected now. */
  public String lastEventId() {
    return lastEventId;
  }

  /** Waits until the node ends the stream. */
  public void awaitEnd() throws Exception {
    ended.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    client.close();
  }
}
