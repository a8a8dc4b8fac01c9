package io.syncnode.auth;

import io.syncnode.auth.ApiKey;
import io.syncnode.worker.api.StoredKey;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which tenant an API key belongs to. Lookups, of unknown key ids too, are kept for auth.cacheTtlMs
 * in the node's {@link KnownKeys}, so a revoked key is refused everywhere within that time; lookups of
 * one id that overlap share one database read. One instance per HTTP verticle, used on its event loop.
 *
 * <p>A refusal does the same work whether the key id exists or not: the secret is hashed and compared,
 * in constant time, with the stored hash or with a stand-in.
 */
public final class ApiKeys {
  /** Compared with when there is no stored hash, so that an unknown id costs what a wrong secret does. */
  private static final byte[] NO_HASH = new byte[32];
  private static final long MIN_RECHECK_MS = 500;

  private final Workers workers;
  private final KnownKeys known;
  private final Map<String, Future<StoredKey>> reading = new HashMap<>();

  /** Whose a valid key is: its tenant, and the key's id (which names the caller for rate limits). */
  public record Caller(String tenant, String keyId) {}

  public ApiKeys(Workers workers, KnownKeys known) {
    this.workers = workers;
    this.known = known;
  }

  /** The caller a key is valid for, or null if it is not a key, unknown or revoked. */
  public Future<Caller> resolve(String presented) {
    return check(presented, known.ttlNanos());
  }

  /**
   * How often a live connection checks its key again: half of auth.cacheTtlMs (at least 0.5 s), with
   * a lookup at most that old, so that a revocation ends it within auth.cacheTtlMs (at least 1 s).
   */
  public long recheckMs() {
    return Math.max(MIN_RECHECK_MS, TimeUnit.NANOSECONDS.toMillis(known.ttlNanos()) / 2);
  }

  /** As {@link #resolve}, from a lookup at most {@link #recheckMs} old. */
  public Future<Caller> recheck(String presented) {
    return check(presented, TimeUnit.MILLISECONDS.toNanos(recheckMs()));
  }

  /** Whether the node knows {@code presented} as a valid key from a lookup within auth.cacheTtlMs. */
  public boolean knownValid(String presented) {
    ApiKey key = ApiKey.parse(presented);
    if (key == null) {
      return false;
    }
    KnownKeys.Entry entry = known.get(key.keyId(), known.ttlNanos());
    return entry != null && verdict(key, entry.key()) != null;
  }

  private Future<Caller> check(String presented, long maxAgeNanos) {
    ApiKey key = ApiKey.parse(presented);
    if (key == null) {
      return Future.succeededFuture();
    }
    return lookup(key.keyId(), maxAgeNanos).map(stored -> verdict(key, stored));
  }

  private static Caller verdict(ApiKey key, StoredKey stored) {
    boolean matches = key.matches(stored != null ? stored.secretHash() : NO_HASH);
    return matches && stored != null && !stored.revoked() ? new Caller(stored.tenant(), key.keyId()) : null;
  }

  private Future<StoredKey> lookup(String keyId, long maxAgeNanos) {
    KnownKeys.Entry entry = known.get(keyId, maxAgeNanos);
    if (entry != null) {
      return Future.succeededFuture(entry.key());
    }
    Future<StoredKey> pending = reading.get(keyId);
    if (pending != null) {
      return pending;
    }
    long readAt = System.nanoTime();
    Future<StoredKey> read = workers.keys().find(keyId);
    if (!read.isComplete()) {
      reading.put(keyId, read);
    }
    return read.andThen(done -> {
      reading.remove(keyId);
      if (done.succeeded()) {
        known.put(keyId, done.result(), readAt);
      }
    });
  }

  /** The key a request carries as {@code X-API-Key} or {@code Authorization: Bearer}, or null. */
  public static String fromHeaders(HttpServerRequest request) {
    String header = request.getHeader("X-API-Key");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return null;
  }
}
