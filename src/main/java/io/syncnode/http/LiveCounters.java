package io.syncnode.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's live connections (WebSocket and event streams), counted across its HTTP verticles,
 * and the one {@link LiveFeed} its event streams share.
 */
public final class LiveCounters {
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong slowDropped = new AtomicLong();
  private LiveFeed feed;

  /** The node's shared feed reader, made by the first HTTP verticle that asks. */
  synchronized LiveFeed feed(io.vertx.core.Vertx vertx, WorkerClient workers) {
    if (feed == null) {
      feed = new LiveFeed(vertx, new FeedPages(workers));
    }
    return feed;
  }

  /** Reads of the change feed made for event streams since start (watermarks and pages). */
  public synchronized long feedReads() {
    return feed == null ? 0 : feed.reads();
  }

  void opened() {
    open.incrementAndGet();
  }

  void closed() {
    open.decrementAndGet();
  }

  void droppedSlow() {
    slowDropped.incrementAndGet();
  }

  /** Live connections open now. */
  public long open() {
    return open.get();
  }

  /** Live connections dropped since start because they let too much wait to be sent. */
  public long slowConsumersDropped() {
    return slowDropped.get();
  }
}
