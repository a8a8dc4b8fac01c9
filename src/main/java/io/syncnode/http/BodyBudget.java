package io.syncnode.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the node holds in memory at once (http.maxInFlightBodyBytes), shared
 * by all its HTTP verticles. A request that would pass it is answered 503 with Retry-After.
 */
public final class BodyBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  public BodyBudget(long limit) {
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }

  public long used() {
    return used.get();
  }

  /** A share of the budget that grows as a body is read and is given back whole at the end. */
  Reservation reservation() {
    return new Reservation();
  }

  final class Reservation {
    private long held;

    private Reservation() {}

    /** Makes the reservation at least {@code bytes}; false (and nothing taken) if the budget has no room. */
    synchronized boolean ensure(long bytes) {
      long more = bytes - held;
      if (more <= 0) {
        return true;
      }
      long now;
      do {
        now = used.get();
        if (now + more > limit) {
          return false;
        }
      } while (!used.compareAndSet(now, now + more));
      held = bytes;
      return true;
    }

    /** Gives back all but {@code bytes}. */
    synchronized void shrinkTo(long bytes) {
      if (held > bytes) {
        used.addAndGet(bytes - held);
        held = bytes;
      }
    }

    void release() {
      shrinkTo(0);
    }
  }
}
