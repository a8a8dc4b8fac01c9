package io.syncnode.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A query read a chunk at a time from a server-side cursor (in its own read-only transaction),
 * so that a result of any size never sits in memory whole.
 */
public final class RowCursor<T> {
  private final SqlConnection conn;
  private final Transaction tx;
  private final Cursor cursor;
  private final Function<RowSet<Row>, List<T>> mapper;
  private boolean exhausted;

  private RowCursor(SqlConnection conn, Transaction tx, Cursor cursor, Function<RowSet<Row>, List<T>> mapper) {
    this.conn = conn;
    this.tx = tx;
    this.cursor = cursor;
    this.mapper = mapper;
  }

  /** Each row read becomes one item. */
  static <T> Future<RowCursor<T>> open(Pool pool, String sql, Tuple params, Function<Row, T> mapper) {
    return openChunks(pool, sql, params, rows -> {
      List<T> items = new ArrayList<>(rows.size());
      for (Row row : rows) {
        items.add(mapper.apply(row));
      }
      return items;
    });
  }

  /** The rows of each read are mapped together into that read's items. */
  static <T> Future<RowCursor<T>> openChunks(Pool pool, String sql, Tuple params,
      Function<RowSet<Row>, List<T>> mapper) {
    return pool.getConnection().compose(conn -> conn.begin()
        .compose(tx -> conn.prepare(sql).map(statement -> new RowCursor<>(conn, tx, statement.cursor(params), mapper)))
        .recover(error -> conn.close().transform(closed -> Future.failedFuture(error))));
  }

  /** The next rows, at most {@code count}; an empty list once the result is exhausted. */
  public Future<List<T>> read(int count) {
    if (exhausted) {
      return Future.succeededFuture(List.of());
    }
    return cursor.read(count).map(rows -> {
      exhausted = !cursor.hasMore();
      return mapper.apply(rows);
    });
  }

  /** Whether rows remain after those read so far. */
  public boolean hasMore() {
    return !exhausted;
  }

  /** Ends the read: closes the cursor, ends the transaction, returns the connection. */
  public Future<Void> close() {
    return cursor.close().eventually(tx::rollback).eventually(conn::close).mapEmpty();
  }
}
