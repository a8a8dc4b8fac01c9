package io.syncnode.http;

import io.syncnode.config.NodeConfig.AuthConfig;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * auth.rateLimit: a token bucket per client (API key, or remote address without keys), shared
 * by the node's HTTP verticles. A bucket holds at most auth.rateBurst tokens and refills at
 * auth.rateLimit per second; a request takes one. Both are read as each request comes, so a
 * reloaded configuration applies at once (a rate of 0 lets every request through).
 */
public final class RequestRateLimiter {
  private static final int MAX_CLIENTS = 100_000;

  private final Supplier<AuthConfig> settings;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RequestRateLimiter(Supplier<AuthConfig> settings) {
    this.settings = settings;
  }

  /** A limiter whose rate never changes; {@code burst} 0 means twice the rate. */
  public RequestRateLimiter(int perSecond, int burst) {
    this(fixed(perSecond, burst));
  }

  private static Supplier<AuthConfig> fixed(int perSecond, int burst) {
    AuthConfig auth = new AuthConfig(io.syncnode.config.NodeConfig.AuthMode.NONE, false, 0, perSecond, burst);
    return () -> auth;
  }

  private static final class Bucket {
    double tokens;
    long refilled;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilled = now;
    }
  }

  /** Takes a token for the client: 0 if it had one (or there is no limit), else the milliseconds until it will. */
  public long take(String client) {
    AuthConfig auth = settings.get();
    if (auth.rateLimit() == 0) {
      return 0;
    }
    double perNano = auth.rateLimit() / 1e9;
    double burst = auth.rateBurst() > 0 ? auth.rateBurst() : Math.max(1, 2 * auth.rateLimit());
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
