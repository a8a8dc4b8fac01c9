package io.syncnode.http;

import java.util.concurrent.atomic.AtomicLong;

/** The node's live connections (WebSocket and event streams), counted across its HTTP verticles. */
public final class LiveCounters {
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong slowDropped = new AtomicLong();

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
