package io.syncnode.http;

import io.syncnode.config.NodeConfig.LiveConfig;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.store.FeedEntry;
import io.syncnode.worker.Addresses;
import io.syncnode.worker.ChangeEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
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
 * watermark. So the stream reads the feed, exactly as a pull by cursor does, and the tenant's
 * change events only wake it up; while a change it heard of is still above the watermark, it looks
 * again every {@link #HELD_BACK_RECHECK_MS}, and at every heartbeat anyway.
 *
 * <p>The stream reads the feed only as fast as the client takes it: once more than
 * live.maxQueuedBytes wait to be sent, it stops until they drain, and if they do not within
 * live.drainTimeoutMs the client is dropped with an {@code error} event.
 */
final class EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  static final long HELD_BACK_RECHECK_MS = 500;
  private static final int WRITE_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final String tenant;
  private final FeedPages feed;
  private final LiveConfig config;
  private final LiveCounters counters;
  private MessageConsumer<ChangeEvent> changes;
  /** The position of the last entity sent, or where the stream started. */
  private long after;
  /** The highest position a change event named. */
  private long heard;
  private boolean started;
  private boolean reading;
  private boolean wakeAgain;
  private boolean ended;
  private boolean released;
  private long heartbeat = -1;
  private long recheck = -1;
  private long drainTimer = -1;
  private Promise<Void> drained;

  EventStream(Vertx vertx, HttpServerRequest request, String tenant, FeedPages feed, LiveConfig config,
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
    changes = vertx.eventBus().localConsumer(Addresses.changesOf(tenant), message -> heard(message.body()));
    changes.completion().onComplete(registered -> {
      if (ended) {
        return;
      }
      response.write(announce ? ServerSentEvents.cursor(position) : ServerSentEvents.comment("resuming"));
      started = true;
      heartbeat = vertx.setPeriodic(config.pingIntervalMs(), t -> heartbeat());
      wake();
    }, error -> end(ServerSentEvents.error("unavailable", "the node cannot follow changes now")));
  }

  private void heard(ChangeEvent event) {
    heard = Math.max(heard, event.lastPosition());
    wake();
  }

  private void heartbeat() {
    if (!response.writeQueueFull()) {
      response.write(ServerSentEvents.comment("heartbeat"));
    }
    wake();
  }

  /** Reads the feed up to the current watermark, unless a read is on already (then it reads once more after it). */
  private void wake() {
    if (ended || !started) {
      return;
    }
    if (reading) {
      wakeAgain = true;
      return;
    }
    if (recheck >= 0) {
      vertx.cancelTimer(recheck);
      recheck = -1;
    }
    reading = true;
    wakeAgain = false;
    Promise<Void> done = Promise.promise();
    feed.bound().onComplete(bound -> readPage(bound, done), done::fail);
    done.future().onComplete(read -> {
      reading = false;
      if (wakeAgain) {
        wake();
      } else if (heard > after && !ended) {
        recheck = vertx.setTimer(HELD_BACK_RECHECK_MS, t -> {
          recheck = -1;
          wake();
        });
      }
    }, error -> {
      reading = false;
      if (!ended) {
        LOG.warn("event stream of tenant {} ends: {}", tenant, error.getMessage());
        end(ServerSentEvents.error("unavailable", "the node cannot read changes now; reconnect with Last-Event-ID"));
      }
    });
  }

  // One step per page, not a chain of composed futures, so that a long backlog holds one page at a time.
  private void readPage(long bound, Promise<Void> done) {
    if (ended) {
      done.tryComplete();
      return;
    }
    feed.after(tenant, after, bound)
        .compose(page -> send(page.entries(), 0).map(sent -> {
          after = Math.max(after, page.next());
          return page.more();
        }))
        .onComplete(more -> {
          if (more) {
            readPage(bound, done);
          } else {
            done.tryComplete();
          }
        }, done::tryFail);
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
    if (recheck >= 0) {
      vertx.cancelTimer(recheck);
    }
    if (changes != null) {
      changes.unregister();
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
