package io.syncnode.http.live;

import io.syncnode.worker.api.Addresses;
import io.syncnode.worker.api.ChangeEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The change feed as the node's event streams read it, shared: one per node, one reader per tenant.
 *
 * <p>A tenant's reader listens to the tenant's change events once, and reads the feed only when
 * one arrives (or a stream opens, or has sent its page and the feed had more): one watermark read,
 * then one page read per distinct position its waiting streams stand at, each page handed to every
 * stream at that position. So the database work for a change does not grow with the number of
 * streams, heartbeats read nothing, and a quiet tenant costs nothing. While a change it heard of is
 * still above the watermark (an open writer holds it back), the reader looks again every
 * {@link #HELD_BACK_RECHECK_MS}, once for all its streams.
 *
 * <p>All state lives on one context of its own; streams are called back on theirs.
 */
final class LiveFeed {
  static final long HELD_BACK_RECHECK_MS = 500;

  private final Vertx vertx;
  private final Context context;
  private final FeedPages feed;
  private final Map<String, TenantReader> tenants = new HashMap<>();
  /** Watermark and page reads, for the node's metrics and tests. */
  private final AtomicLong reads = new AtomicLong();

  /** A stream's side: it is handed pages, and says when it has sent one. */
  interface Listener {
    /** A page after the stream's position; the stream calls {@link Subscription#sent} once it has sent it. */
    void page(FeedPages.Page page);

    /** The feed cannot be read now; the stream ends. */
    void failed(Throwable error);
  }

  /** One stream's place in its tenant's reader. */
  final class Subscription {
    private final String tenant;
    private final Context streamContext;
    private final Listener listener;
    private long after;
    /** Whether a page was handed to the stream and not yet sent. */
    private boolean busy;
    /** Whether a round passed the stream by while it was busy. */
    private boolean passed;

    private Subscription(String tenant, Context streamContext, Listener listener, long after) {
      this.tenant = tenant;
      this.streamContext = streamContext;
      this.listener = listener;
      this.after = after;
    }

    /** The stream has sent its page and now stands after {@code position}; {@code more} if the feed had more. */
    void sent(long position, boolean more) {
      context.runOnContext(v -> {
        busy = false;
        after = Math.max(after, position);
        TenantReader reader = tenants.get(tenant);
        if (reader != null && (more || passed)) {
          passed = false;
          reader.read();
        }
      });
    }

    void close() {
      context.runOnContext(v -> {
        TenantReader reader = tenants.get(tenant);
        if (reader != null) {
          reader.remove(this);
        }
      });
    }
  }

  LiveFeed(Vertx vertx, FeedPages feed) {
    this.vertx = vertx;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.feed = feed;
  }

  /** Feed reads made so far (watermarks and pages). */
  long reads() {
    return reads.get();
  }

  /** The current watermark, for a stream that starts now. */
  Future<Long> bound() {
    reads.incrementAndGet();
    return feed.bound();
  }

  /** Follows the tenant's feed from after {@code position}; the listener is called on the caller's context. */
  Subscription subscribe(String tenant, long position, Listener listener) {
    Subscription subscription = new Subscription(tenant, vertx.getOrCreateContext(), listener, position);
    context.runOnContext(v -> tenants.computeIfAbsent(tenant, TenantReader::new).add(subscription));
    return subscription;
  }

  /** One tenant's streams on this node and the one reader of its feed. */
  private final class TenantReader {
    private final String tenant;
    private final Set<Subscription> subscriptions = new LinkedHashSet<>();
    private final MessageConsumer<ChangeEvent> changes;
    private boolean reading;
    private boolean again;
    private long heard;
    private long lastBound;
    private long recheck = -1;

    TenantReader(String tenant) {
      this.tenant = tenant;
      this.changes = vertx.eventBus().localConsumer(Addresses.changesOf(tenant), message -> {
        heard = Math.max(heard, message.body().lastPosition());
        read();
      });
    }

    void add(Subscription subscription) {
      subscriptions.add(subscription);
      // registered first, so that no change event between this read and the registration is lost
      changes.completion().onComplete(registered -> read(), error -> subscription.streamContext
          .runOnContext(v -> subscription.listener.failed(error)));
    }

    void remove(Subscription subscription) {
      subscriptions.remove(subscription);
      if (subscriptions.isEmpty()) {
        tenants.remove(tenant);
        changes.unregister();
        if (recheck >= 0) {
          vertx.cancelTimer(recheck);
        }
      }
    }

    /** One round: the watermark, then a page per position of the streams that wait, unless a round is on already. */
    void read() {
      if (reading) {
        again = true;
        return;
      }
      if (subscriptions.isEmpty()) {
        return;
      }
      if (recheck >= 0) {
        vertx.cancelTimer(recheck);
        recheck = -1;
      }
      reading = true;
      again = false;
      reads.incrementAndGet();
      feed.bound().compose(bound -> {
        lastBound = bound;
        Map<Long, List<Subscription>> byPosition = new HashMap<>();
        for (Subscription subscription : subscriptions) {
          if (subscription.busy) {
            subscription.passed = true;
          } else if (subscription.after < bound - 1) {
            byPosition.computeIfAbsent(subscription.after, p -> new ArrayList<>()).add(subscription);
          }
        }
        List<Future<Void>> pages = new ArrayList<>();
        byPosition.forEach((after, waiting) -> {
          reads.incrementAndGet();
          pages.add(feed.after(tenant, after, bound).map(page -> {
            for (Subscription subscription : waiting) {
              if (subscriptions.contains(subscription)) {
                subscription.busy = true;
                subscription.streamContext.runOnContext(v -> subscription.listener.page(page));
              }
            }
            return null;
          }));
        });
        return Future.all(pages);
      }).onComplete(done -> {
        reading = false;
        if (again) {
          read();
        } else if (heard >= lastBound && !subscriptions.isEmpty()) {
          recheck = vertx.setTimer(HELD_BACK_RECHECK_MS, t -> {
            recheck = -1;
            read();
          });
        }
      }, error -> {
        reading = false;
        for (Subscription subscription : new ArrayList<>(subscriptions)) {
          subscription.streamContext.runOnContext(v -> subscription.listener.failed(error));
        }
      });
    }
  }
}
