package io.syncnode.http;

import io.syncnode.auth.ApiKey;
import io.syncnode.store.KeyStore.StoredKey;
import io.syncnode.worker.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * auth.mode=api-key: every /api request carries {@code X-API-Key: <key>} or
 * {@code Authorization: Bearer <key>}, and belongs to the key's tenant. Lookups are cached for
 * auth.cacheTtlMs (unknown keys too), so a revoked key is refused everywhere within that time.
 * One instance per HTTP verticle: the cache is only touched on its event loop.
 */
final class ApiKeyAuth implements Handler<RoutingContext> {
  private static final int MAX_CACHED = 10_000;

  private final WorkerClient workers;
  private final long ttlNanos;
  private final Map<String, Cached> cache = new HashMap<>();

  private record Cached(StoredKey key, long expires) {}

  ApiKeyAuth(WorkerClient workers, long cacheTtlMs) {
    this.workers = workers;
    this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(cacheTtlMs);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented = presentedKey(ctx);
    if (presented == null) {
      refuse(ctx, "send an API key as X-API-Key or Authorization: Bearer");
      return;
    }
    ApiKey key = ApiKey.parse(presented);
    if (key == null) {
      refuse(ctx, "the API key is not valid");
      return;
    }
    // The body is read after the key is checked: hold it until then.
    boolean paused = !ctx.request().isEnded();
    if (paused) {
      ctx.request().pause();
    }
    lookup(key.keyId()).onComplete(stored -> {
      if (stored == null || stored.revoked() || !key.matches(stored.secretHash())) {
        refuse(ctx, "the API key is not valid or was revoked");
      } else {
        Tenancy.assign(ctx, stored.tenant());
        Tenancy.assignClient(ctx, key.keyId());
        if (paused) {
          ctx.request().resume();
        }
        ctx.next();
      }
    }, error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
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
      cache.put(keyId, new Cached(stored, System.nanoTime() + ttlNanos));
      return stored;
    });
  }

  private static String presentedKey(RoutingContext ctx) {
    String header = ctx.request().getHeader("X-API-Key");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return null;
  }

  private static void refuse(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"syncnode\"");
    ErrorResponder.send(ctx, new ApiError(401, "unauthorized", detail, null));
  }
}
