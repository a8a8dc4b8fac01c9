package io.syncnode.store;

import io.syncnode.config.NodeConfig.PgConfig;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * What went wrong between the node and PostgreSQL, said to an operator: where (host:port), whether
 * PostgreSQL answered at all, and the settings that change it.
 */
public final class PgFailures {
  private PgFailures() {}

  public static String describe(PgConfig pg, Throwable failure) {
    String at = pg.host() + ":" + pg.port();
    if (find(failure, UnknownHostException.class) != null) {
      return "cannot resolve the PostgreSQL host " + pg.host() + " (pg.host, SYNCNODE_PG_HOST)";
    }
    if (find(failure, ConnectException.class) != null || find(failure, NoRouteToHostException.class) != null) {
      return "no answer from " + at + ": connection refused; is PostgreSQL running there? (pg.host and pg.port,"
          + " SYNCNODE_PG_HOST and SYNCNODE_PG_PORT)";
    }
    if (find(failure, SocketTimeoutException.class) != null) {
      return "no answer from " + at + " within " + pg.connectTimeoutMs() + " ms (pg.connectTimeoutMs); is that"
          + " address right? (pg.host and pg.port, SYNCNODE_PG_HOST and SYNCNODE_PG_PORT)";
    }
    SQLException sql = find(failure, SQLException.class);
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    String said = serverMessage(sql != null ? sql : failure);
    if (state.equals("28000") || state.equals("28P01")) {
      return "reached PostgreSQL at " + at + ", which refused role " + pg.user() + ": " + said
          + " (pg.user and pg.password, SYNCNODE_PG_USER and SYNCNODE_PG_PASSWORD)";
    }
    if (state.equals("3D000")) {
      return "reached PostgreSQL at " + at + ", which has no database " + pg.database() + ": create it, or let the"
          + " node create it (pg.createDatabase)";
    }
    if (state.equals("42501")) {
      return "reached PostgreSQL at " + at + ", where role " + pg.user() + " may not do what the node needs: " + said;
    }
    if (state.startsWith("08")) {
      return "no answer from " + at + ": " + said;
    }
    return "PostgreSQL at " + at + ": " + said;
  }

  private static String serverMessage(Throwable failure) {
    String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    message = message.lines().findFirst().orElse("").trim();
    return message.startsWith("FATAL: ") ? message.substring("FATAL: ".length()) : message;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
