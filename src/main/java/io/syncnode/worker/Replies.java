package io.syncnode.worker;

import io.syncnode.cluster.LockTimeoutException;
import io.syncnode.worker.api.WorkerFailure;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a worker's message with the outcome of its store operation. */
final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  /** Failure codes a worker replies with; the HTTP verticle maps them to statuses. */
  static final int UNAVAILABLE = WorkerFailure.UNAVAILABLE_CODE;
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

  /**
   * Whether the failure says the database cannot be reached or used right now, at any depth of its
   * causes: a connection-level failure (refused, reset, broken pipe, closed, timed out), a pool that
   * gives up waiting or was closed (a switch to a promoted standby closes the old primary's pool
   * under the requests that had taken it), or a server-side state that passes (shutdown, too many
   * connections, serialization give-ups). All are answered 503, for the client to retry.
   */
  static boolean isUnavailable(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof PgException pg) {
        String state = pg.getSqlState();
        // connection exceptions, insufficient resources, operator intervention, lock/serialization give-ups,
        // a server that turned read-only (a primary demoted before the node found the new one)
        if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
            || state.startsWith("40") || state.equals("55P03") || state.equals("25006"))) {
          return true;
        }
      }
      if (e instanceof java.io.IOException
          || e instanceof ClosedConnectionException
          || e instanceof io.vertx.core.http.ConnectionPoolTooBusyException
          || e instanceof java.util.concurrent.TimeoutException
          || e instanceof java.nio.channels.ClosedChannelException
          || e instanceof io.netty.channel.ChannelException) {
        return true;
      }
      String message = e.getMessage();
      if (message != null && CONNECTION_FAILURE.matcher(message).find()) {
        return true;
      }
    }
    return false;
  }

  /** What a connection-level failure says when it comes wrapped in an exception of no telling type. */
  private static final java.util.regex.Pattern CONNECTION_FAILURE = java.util.regex.Pattern.compile(
      "(?i)connection (reset|refused|is closed|closed|was closed)|broken pipe|timed? ?out|"
      + "pending requests? (was|were) closed|pool closed|the database system is (starting up|shutting down|in recovery)");
}
