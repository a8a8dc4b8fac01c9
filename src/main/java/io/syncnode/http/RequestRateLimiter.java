package io.syncnode.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per client, shared by the node's HTTP verticles: auth.rateLimit per API key (or
 * remote address without keys), where a request takes a token, and auth.failureRate per remote
 * address, where a failed authentication does. A bucket holds at most the burst and refills at the
 * rate per second.
 */
public final class RequestRateLimiter {
  private static final int MAX_CLIENTS = 100_000;

  private final double perNano;
  private final double burst;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** {@code burst} 0 means twice the rate. */
  public RequestRateLimiter(int perSecond, int burst) {
    this.perNano = perSecond / 1e9;
    this.burst = burst > 0 ? burst : Math.max(1, 2 * perSecond);
  }

  private static final class Bucket {
    double tokens;
    long refilled;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilled = now;
    }
  }

  /** Gives back a token taken ahead of a request that turned out not to need it. */
  public void giveBack(String client) {
    Bucket bucket = buckets.get(client);
    if (bucket != null) {
      synchronized (bucket) {
        bucket.tokens = Math.min(burst, bucket.tokens + 1);
      }
    }
  }

  /** 0 if the client has a token now, else the milliseconds until it will; takes none. */
  public long waitFor(String client) {
    Bucket bucket = buckets.get(client);
    if (bucket == null) {
      return 0;
    }
    long now = System.nanoTime();
    synchronized (bucket) {
      double tokens = Math.min(burst, bucket.tokens + (now - bucket.refilled) * perNano);
      return tokens >= 1 ? 0
          : Math.max(1, TimeUnit.NANOSECONDS.toMillis((long) Math.ceil((1 - tokens) / perNano)));
    }
  }

  /** Takes a token for the client: 0 if it had one, else the milliseconds until it will. */
  public long take(String client) {
    long now = System.nanoTime();
    if (buckets.size() > MAX_CLIENTS) {
      buckets.clear();
    }
    Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
    synchronized (bucket) {
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilled) * perNano);
      bucket.refilled = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, TimeUnit.NANOSECONDS.toMillis((long) Math.ceil((1 - bucket.tokens) / perNano)));
    }
  }
}
