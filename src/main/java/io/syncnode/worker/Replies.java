package io.syncnode.worker;

import io.syncnode.cluster.LockTimeoutException;
import io.syncnode.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a worker's message with the outcome of its store operation. */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  /** Failure codes a worker replies with; the HTTP verticle maps them to statuses. */
  static final int UNAVAILABLE = 503;
  static final int INTERNAL = 500;

  private Replies() {}

  static <T> void reply(Message<?> message, Future<T> outcome) {
    outcome.onComplete(
        message::reply,
        error -> {
          if (error instanceof LockTimeoutException) {
            message.fail(UNAVAILABLE, "busy: " + error.getMessage() + "; retry");
          } else if (isUnavailable(error)) {
            LOG.warn("{}: database unavailable: {}", message.address(), error.getMessage());
            message.fail(UNAVAILABLE, "database unavailable");
          } else {
            LOG.error("{} failed", message.address(), error);
            message.fail(INTERNAL, "internal error");
          }
        });
  }

  private static boolean isUnavailable(Throwable error) {
    if (error instanceof PgException pg) {
      String state = pg.getSqlState();
      // connection exceptions, insufficient resources, operator intervention, lock/serialization give-ups
      return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
          || state.startsWith("40") || state.equals("55P03"));
    }
    return error instanceof ConnectException
        || error instanceof ClosedConnectionException
        || error instanceof io.vertx.core.http.ConnectionPoolTooBusyException
        || error instanceof java.util.concurrent.TimeoutException;
  }
}
