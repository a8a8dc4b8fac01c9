package io.syncnode.auth;

import io.syncnode.auth.ApiKey;
import io.syncnode.http.common.ApiError;
import io.syncnode.http.common.ErrorResponder;
import io.syncnode.http.common.Tenancy;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * auth.mode=api-key: every /api request carries {@code X-API-Key: <key>} or
 * {@code Authorization: Bearer <key>}, and belongs to the key's tenant.
 *
 * <p>A presented key that is refused counts against its remote address (auth.failureRate): an
 * address without failures left is answered 429 with {@code Retry-After}, without a lookup, unless
 * its key is one the node already knows as valid. The failure is counted before the lookup (and
 * given back if the key is valid), so that lookups running at once cannot exceed the limit.
 */
public final class ApiKeyAuth implements Handler<RoutingContext> {
  private final ApiKeys keys;
  private final RequestRateLimiter failures;

  /** {@code failures} limits refused keys per remote address (no limit while auth.failureRate is 0). */
  public ApiKeyAuth(ApiKeys keys, RequestRateLimiter failures) {
    this.keys = keys;
    this.failures = failures;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented = ApiKeys.fromHeaders(ctx.request());
    if (presented == null) {
      refuse(ctx, "send an API key as X-API-Key or Authorization: Bearer");
      return;
    }
    String address = remoteAddress(ctx);
    boolean counted = failures.limits() && !keys.knownValid(presented);
    if (counted) {
      long waitMs = failures.take(address);
      if (waitMs > 0) {
        tooManyFailures(ctx, waitMs);
        return;
      }
    }
    if (ApiKey.parse(presented) == null) {
      refuse(ctx, "the API key is not valid");
      return;
    }
    // The body is read after the key is checked: hold it until then.
    boolean paused = !ctx.request().isEnded();
    if (paused) {
      ctx.request().pause();
    }
    keys.resolve(presented).onComplete(caller -> {
      if (caller == null) {
        refuse(ctx, "the API key is not valid or was revoked");
      } else {
        if (counted) {
          failures.giveBack(address);
        }
        Tenancy.assign(ctx, caller.tenant());
        Tenancy.assignClient(ctx, caller.keyId());
        if (paused) {
          ctx.request().resume();
        }
        ctx.next();
      }
    }, error -> {
      if (counted) {
        failures.giveBack(address);
      }
      ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500));
    });
  }

  static String remoteAddress(RoutingContext ctx) {
    return String.valueOf(ctx.request().remoteAddress().hostAddress());
  }

  private static void refuse(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"syncnode\"");
    ErrorResponder.send(ctx, new ApiError(401, "unauthorized", detail, null));
  }

  private static void tooManyFailures(RoutingContext ctx, long waitMs) {
    ctx.response().putHeader("Retry-After", Long.toString((waitMs + 999) / 1000));
    ErrorResponder.send(ctx, new ApiError(429, "too_many_failed_authentications",
        "too many refused API keys from this address; retry in " + waitMs + " ms", null));
  }
}
