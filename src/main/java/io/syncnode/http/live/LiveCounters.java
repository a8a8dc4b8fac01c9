package io.syncnode.http.live;

import io.syncnode.worker.api.Workers;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The node's live connections (WebSocket and event streams), counted across its HTTP verticles, in
 * all and per tenant (at most live.maxConnectionsPerTenant each), and the one {@link LiveFeed} its
 * event streams share.
 */
public final class LiveCounters {
  private final IntSupplier maxPerTenant;
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong slowDropped = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong revoked = new AtomicLong();
  private final ConcurrentHashMap<String, Integer> perTenant = new ConcurrentHashMap<>();
  private LiveFeed feed;

  /** The node's shared feed reader, made by the first HTTP verticle that asks. */
  public synchronized LiveFeed feed(io.vertx.core.Vertx vertx, Workers workers) {
    if (feed == null) {
      feed = new LiveFeed(vertx, new FeedPages(workers));
    }
    return feed;
  }

  /** Reads of the change feed made for event streams since start (watermarks and pages). */
  public synchronized long feedReads() {
    return feed == null ? 0 : feed.reads();
  }

  /** Without a limit per tenant. */
  public LiveCounters() {
    this(Integer.MAX_VALUE);
  }

  public LiveCounters(int maxPerTenant) {
    this(() -> maxPerTenant);
  }

  /** {@code maxPerTenant} is read as each connection opens: a reloaded limit applies to the next one. */
  public LiveCounters(IntSupplier maxPerTenant) {
    this.maxPerTenant = maxPerTenant;
  }

  /** Counts a connection of {@code tenant} about to open; false (and nothing counted) past the tenant's limit. */
  boolean tryOpen(String tenant) {
    boolean[] taken = {false};
    int maxPerTenant = this.maxPerTenant.getAsInt();
    perTenant.compute(tenant, (t, count) -> {
      int now = count == null ? 0 : count;
      if (now >= maxPerTenant) {
        return count;
      }
      taken[0] = true;
      return now + 1;
    });
    if (taken[0]) {
      open.incrementAndGet();
    } else {
      refused.incrementAndGet();
    }
    return taken[0];
  }

  void closed(String tenant) {
    open.decrementAndGet();
    perTenant.computeIfPresent(tenant, (t, count) -> count <= 1 ? null : count - 1);
  }

  void droppedSlow() {
    slowDropped.incrementAndGet();
  }

  void endedRevoked() {
    revoked.incrementAndGet();
  }

  /** Live connections open now. */
  public long open() {
    return open.get();
  }

  /** Live connections of {@code tenant} open now. */
  public int open(String tenant) {
    return perTenant.getOrDefault(tenant, 0);
  }

  /** Live connections dropped since start because they let too much wait to be sent. */
  public long slowConsumersDropped() {
    return slowDropped.get();
  }

  /** Live connections refused since start because their tenant held live.maxConnectionsPerTenant. */
  public long refusedOverLimit() {
    return refused.get();
  }

  /** Live connections ended since start because their API key was revoked. */
  public long endedByRevocation() {
    return revoked.get();
  }
}
