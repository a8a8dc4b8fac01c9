package io.syncnode.http.live;

import io.syncnode.config.NodeConfig.LiveConfig;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.worker.api.FeedEntry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of GET /api/sync/events: every change of its tenant, in the feed's order, from a
 * cursor on.
 *
 * <p>Live events arrive in commit order, and a position is final only once it is below the feed's
 * watermark. So the stream is handed pages of the feed, read exactly as a pull by cursor reads
 * them, by its tenant's {@link LiveFeed} reader, which reads them once for every stream of the
 * tenant at the same position, and only when the tenant has a change; heartbeats read nothing.
 *
 * <p>The stream reads the feed only as fast as the client takes it: once more than
 * live.maxQueuedBytes wait to be sent, it stops until they drain, and if they do not within
 * live.drainTimeoutMs the client is dropped with an {@code error} event.
 */
final class EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  private static final int WRITE_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final String tenant;
  private final LiveFeed feed;
  private final LiveConfig config;
  private final LiveCounters counters;
  private LiveFeed.Subscription subscription;
  /** The position of the last entity sent, or where the stream started. */
  private long after;
  private boolean ended;
  private boolean released;
  private long heartbeat = -1;
  private long drainTimer = -1;
  private Promise<Void> drained;

  EventStream(Vertx vertx, HttpServerRequest request, String tenant, LiveFeed feed, LiveConfig config,
      LiveCounters counters) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.tenant = tenant;
    this.feed = feed;
    this.config = config;
    this.counters = counters;
  }

  /**
   * Starts after {@code position}; {@code announce} sends it as the first id, for a client that did not
   * give one. The caller has counted the stream in ({@link LiveCounters#tryOpen}).
   */
  void open(long position, boolean announce) {
    after = position;
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Encoding", "identity")
        .putHeader("X-Accel-Buffering", "no")
        .setWriteQueueMaxSize(config.maxQueuedBytes());
    response.closeHandler(v -> clientGone());
    if (response.closed()) {
      clientGone();
      return;
    }
    response.exceptionHandler(error -> LOG.debug("event stream of tenant {}: {}", tenant, error.getMessage()));
    request.connection().shutdownHandler(v -> end(ServerSentEvents.comment("the node is shutting down")));
    response.write(announce ? ServerSentEvents.cursor(position) : ServerSentEvents.comment("resuming"));
    heartbeat = vertx.setPeriodic(config.pingIntervalMs(), t -> heartbeat());
    subscription = feed.subscribe(tenant, position, new LiveFeed.Listener() {
      @Override
      public void page(FeedPages.Page page) {
        sendPage(page);
      }

      @Override
      public void failed(Throwable error) {
        if (!ended) {
          LOG.warn("event stream of tenant {} ends: {}", tenant, error.getMessage());
          end(ServerSentEvents.error("unavailable", "the node cannot read changes now; reconnect with Last-Event-ID"));
        }
      }
    });
  }

  private void heartbeat() {
    if (!response.writeQueueFull()) {
      response.write(ServerSentEvents.comment("heartbeat"));
    }
  }

  /** Sends a page the tenant's reader read, then tells it where the stream stands. */
  private void sendPage(FeedPages.Page page) {
    if (ended) {
      return;
    }
    List<FeedEntry<SyncEntity>> fresh = page.entries().stream().filter(e -> e.position() > after).toList();
    send(fresh, 0).onSuccess(sent -> {
      after = Math.max(after, page.next());
      subscription.sent(after, page.more());
    });
  }

  /** Writes the entries from {@code from} on, waiting for the client whenever too much waits. */
  private Future<Void> send(List<FeedEntry<SyncEntity>> entries, int from) {
    if (ended) {
      return Future.failedFuture("the stream has ended");
    }
    Buffer out = Buffer.buffer();
    int next = from;
    while (next < entries.size() && out.length() < WRITE_BYTES) {
      ServerSentEvents.appendEntity(out, entries.get(next));
      after = entries.get(next).position();
      next++;
    }
    if (out.length() > 0) {
      response.write(out);
    }
    int rest = next;
    return drained().compose(v -> rest < entries.size() ? send(entries, rest) : Future.succeededFuture());
  }

  private Future<Void> drained() {
    if (!response.writeQueueFull()) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    response.drainHandler(v -> {
      cancelDrainTimer();
      drained.tryComplete();
    });
    drainTimer = vertx.setTimer(config.drainTimeoutMs(), t -> {
      drainTimer = -1;
      counters.droppedSlow();
      LOG.warn("dropping an event stream of tenant {}: more than {} bytes waited {} ms", tenant,
          config.maxQueuedBytes(), config.drainTimeoutMs());
      end(ServerSentEvents.error("slow_consumer", "slow consumer: the client did not read its events in time;"
          + " reconnect with Last-Event-ID"));
    });
    return drained.future();
  }

  /** Ends the stream because its API key is no longer valid: nothing more is sent but the error event. */
  void revoke() {
    if (!ended) {
      counters.endedRevoked();
      end(ServerSentEvents.error("unauthorized", "the API key was revoked"));
    }
  }

  boolean ended() {
    return ended;
  }

  /** Ends the stream from the node's side with {@code last}; a client that does not read it in time is cut off. */
  private void end(String last) {
    if (ended) {
      return;
    }
    ended = true;
    release();
    response.write(last);
    Future<Void> sent = response.end();
    long cutOff = vertx.setTimer(ForcedClose.GRACE_MS, t -> ForcedClose.connection(request.connection()));
    sent.onComplete(v -> {
      vertx.cancelTimer(cutOff);
      request.connection().close();
    });
  }

  private void clientGone() {
    ended = true;
    release();
  }

  private void release() {
    if (released) {
      return;
    }
    released = true;
    cancelDrainTimer();
    if (drained != null) {
      drained.tryFail("the stream has ended");
    }
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    if (subscription != null) {
      subscription.close();
    }
    counters.closed(tenant);
  }

  private void cancelDrainTimer() {
    if (drainTimer >= 0) {
      vertx.cancelTimer(drainTimer);
      drainTimer = -1;
    }
  }
}
