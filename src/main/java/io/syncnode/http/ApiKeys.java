package io.syncnode.http;

import io.syncnode.auth.ApiKey;
import io.syncnode.store.KeyStore.StoredKey;
import io.syncnode.worker.Addresses;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which tenant an API key belongs to. Lookups are cached for auth.cacheTtlMs (unknown keys too),
 * so a revoked key is refused everywhere within that time. One instance per HTTP verticle: the
 * cache is only touched on its event loop.
 */
final class ApiKeys {
  private static final int MAX_CACHED = 10_000;

  private final WorkerClient workers;
  private final java.util.function.LongSupplier ttlMs;
  private final Map<String, Cached> cache = new HashMap<>();

  private record Cached(StoredKey key, long expires) {}

  /** Whose a valid key is: its tenant, and the key's id (which names the caller for rate limits). */
  record Caller(String tenant, String keyId) {}

  /** {@code cacheTtlMs} is read at each lookup: a reloaded auth.cacheTtlMs applies to the next one. */
  ApiKeys(WorkerClient workers, java.util.function.LongSupplier cacheTtlMs) {
    this.workers = workers;
    this.ttlMs = cacheTtlMs;
  }

  /** The caller a key is valid for, or null if it is not a key, unknown or revoked. */
  Future<Caller> resolve(String presented) {
    ApiKey key = ApiKey.parse(presented);
    if (key == null) {
      return Future.succeededFuture();
    }
    return lookup(key.keyId()).map(stored -> stored == null || stored.revoked() || !key.matches(stored.secretHash())
        ? null : new Caller(stored.tenant(), key.keyId()));
  }

  private Future<StoredKey> lookup(String keyId) {
    long now = System.nanoTime();
    Cached cached = cache.get(keyId);
    if (cached != null && now < cached.expires()) {
      return Future.succeededFuture(cached.key());
    }
    return workers.<StoredKey>request(Addresses.KEY_FIND, keyId).map(stored -> {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(keyId, new Cached(stored, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ttlMs.getAsLong())));
      return stored;
    });
  }

  /** The key a request carries as {@code X-API-Key} or {@code Authorization: Bearer}, or null. */
  static String fromHeaders(HttpServerRequest request) {
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
