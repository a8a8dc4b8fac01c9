package io.syncnode.auth;

import io.syncnode.http.common.ApiError;
import io.syncnode.http.common.JsonAnswers;
import io.syncnode.http.common.Tenancy;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * GET /api/auth/encryption-salt: the caller's tenant's end-to-end encryption salt, {@code {"salt":
 * "..."}}, or 404 when the tenant has none. Newer contextfs clients derive their content key from
 * their API key and this salt and then send only ciphertext; on 404 they sync without encryption.
 * The node never sees the key: it stores and returns the contents it is sent.
 */
public final class EncryptionSaltHandler implements Handler<RoutingContext> {
  private final Workers workers;

  public EncryptionSaltHandler(Workers workers) {
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String tenant = Tenancy.of(ctx);
    JsonAnswers.respond(ctx, workers.keys().encryptionSalt(tenant).compose(salt -> {
      if (salt == null) {
        return Future.failedFuture(new ApiError(404, "no_encryption_salt",
            "the tenant has no encryption salt: end-to-end encryption is off (admin create-key --e2ee turns it on)",
            null));
      }
      // the salt is URL-safe base64, nothing to escape
      return Future.succeededFuture(("{\"salt\":\"" + salt + "\"}").getBytes(StandardCharsets.UTF_8));
    }));
  }
}
