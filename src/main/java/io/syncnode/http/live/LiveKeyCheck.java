package io.syncnode.http.live;

import io.syncnode.auth.ApiKeys;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/**
 * Checks the API key of a live connection again every {@link ApiKeys#recheckMs}, for as long as the
 * connection lasts, and ends the connection once the key is no longer valid (revoked or deleted). A
 * lookup that fails (database unavailable) leaves the connection open until the next check.
 */
final class LiveKeyCheck {
  private LiveKeyCheck() {}

  /** {@code ended} tells when to stop; {@code revoke} ends the connection. Nothing is done when {@code keys} is null. */
  static void watch(Vertx vertx, ApiKeys keys, String presented, BooleanSupplier ended, Runnable revoke) {
    if (keys == null) {
      return;
    }
    vertx.setPeriodic(keys.recheckMs(), timer -> {
      if (ended.getAsBoolean()) {
        vertx.cancelTimer(timer);
        return;
      }
      keys.recheck(presented).onSuccess(caller -> {
        if (caller == null && !ended.getAsBoolean()) {
          vertx.cancelTimer(timer);
          revoke.run();
        }
      });
    });
  }
}
