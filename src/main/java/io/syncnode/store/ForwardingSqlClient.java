package io.syncnode.store;

import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;

/** Statements sent to whichever client {@link #target()} names at the time each is made. */
abstract class ForwardingSqlClient implements SqlClient {
  protected abstract SqlClient target();

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return target().query(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return target().preparedQuery(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return target().preparedQuery(sql, options);
  }
}
