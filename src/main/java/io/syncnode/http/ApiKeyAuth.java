package io.syncnode.http;

import io.syncnode.auth.ApiKey;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * auth.mode=api-key: every /api request carries {@code X-API-Key: <key>} or
 * {@code Authorization: Bearer <key>}, and belongs to the key's tenant.
 */
final class ApiKeyAuth implements Handler<RoutingContext> {
  private final ApiKeys keys;

  ApiKeyAuth(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented = ApiKeys.fromHeaders(ctx.request());
    if (presented == null) {
      refuse(ctx, "send an API key as X-API-Key or Authorization: Bearer");
      return;
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
        Tenancy.assign(ctx, caller.tenant());
        Tenancy.assignClient(ctx, caller.keyId());
        if (paused) {
          ctx.request().resume();
        }
        ctx.next();
      }
    }, error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }

  private static void refuse(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"syncnode\"");
    ErrorResponder.send(ctx, new ApiError(401, "unauthorized", detail, null));
  }
}
