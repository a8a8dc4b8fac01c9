package io.syncnode.auth;

import io.syncnode.config.NodeConfig.AuthConfig;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A token bucket per client, shared by the node's HTTP verticles: auth.rateLimit per API key (or
 * remote address without keys), where a request takes a token, and auth.failureRate per remote
 * address, where a failed authentication does. A bucket holds at most the burst and refills at the
 * rate per second. The rate is read as each request comes, so a reloaded configuration applies at
 * once; a rate of 0 lets everything through.
 */
public final class RequestRateLimiter {
  private static final int MAX_CLIENTS = 100_000;

  /** Tokens per second, and the most a bucket holds (0: twice the rate). */
  public record Rate(int perSecond, int burst) {
    double perNano() {
      return perSecond / 1e9;
    }

    double capacity() {
      return burst > 0 ? burst : Math.max(1, 2 * perSecond);
    }
  }

  private final Supplier<Rate> rate;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RequestRateLimiter(Supplier<Rate> rate) {
    this.rate = rate;
  }

  /** A limiter whose rate never changes. */
  public RequestRateLimiter(int perSecond, int burst) {
    Rate fixed = new Rate(perSecond, burst);
    this.rate = () -> fixed;
  }

  /** auth.rateLimit and auth.rateBurst: requests per client. */
  public static RequestRateLimiter requests(Supplier<AuthConfig> auth) {
    return new RequestRateLimiter(() -> {
      AuthConfig now = auth.get();
      return new Rate(now.rateLimit(), now.rateBurst());
    });
  }

  /** auth.failureRate and auth.failureBurst: refused API keys per remote address. */
  public static RequestRateLimiter failures(Supplier<AuthConfig> auth) {
    return new RequestRateLimiter(() -> {
      AuthConfig now = auth.get();
      return new Rate(now.failureRate(), now.failureBurst());
    });
  }

  private static final class Bucket {
    double tokens;
    long refilled;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilled = now;
    }
  }

  /** Whether there is a limit at all now. */
  public boolean limits() {
    return rate.get().perSecond() > 0;
  }

  /** Gives back a token taken ahead of a request that turned out not to need it. */
  public void giveBack(String client) {
    Rate now = rate.get();
    Bucket bucket = buckets.get(client);
    if (bucket != null) {
      synchronized (bucket) {
        bucket.tokens = Math.min(now.capacity(), bucket.tokens + 1);
      }
    }
  }

  /** 0 if the client has a token now (or there is no limit), else the milliseconds until it will; takes none. */
  public long waitFor(String client) {
    Rate current = rate.get();
    Bucket bucket = buckets.get(client);
    if (bucket == null || current.perSecond() == 0) {
      return 0;
    }
    long now = System.nanoTime();
    synchronized (bucket) {
      double tokens = Math.min(current.capacity(), bucket.tokens + (now - bucket.refilled) * current.perNano());
      return tokens >= 1 ? 0 : millisUntilOne(tokens, current);
    }
  }

  /** Takes a token for the client: 0 if it had one (or there is no limit), else the milliseconds until it will. */
  public long take(String client) {
    Rate current = rate.get();
    if (current.perSecond() == 0) {
      return 0;
    }
    long now = System.nanoTime();
    if (buckets.size() > MAX_CLIENTS) {
      buckets.clear();
    }
    Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(current.capacity(), now));
    synchronized (bucket) {
      bucket.tokens = Math.min(current.capacity(), bucket.tokens + (now - bucket.refilled) * current.perNano());
      bucket.refilled = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return millisUntilOne(bucket.tokens, current);
    }
  }

  private static long millisUntilOne(double tokens, Rate rate) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis((long) Math.ceil((1 - tokens) / rate.perNano())));
  }
}
