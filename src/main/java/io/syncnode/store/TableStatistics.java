package io.syncnode.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the planner's statistics of syncnode's tables fresh. Every query here is planned per
 * execution, and a table analyzed while small (or never, where autovacuum is off) makes the
 * planner scan it whole instead of using its keys, so a node analyzes a table once it has
 * changed by a tenth since the last analyze (or was never analyzed).
 */
public final class TableStatistics {
  private static final String STALE =
      "SELECT relname FROM pg_stat_user_tables"
      + " WHERE relname IN ('memories', 'sessions', 'edges', 'devices', 'sync_state', 'api_keys')"
      + " AND ((last_analyze IS NULL AND last_autoanalyze IS NULL AND n_mod_since_analyze > 0)"
      + " OR n_mod_since_analyze > 500 + 0.1 * n_live_tup)";

  private final Pool pool;

  public TableStatistics(Pool pool) {
    this.pool = pool;
  }

  /** Analyzes the tables whose statistics are stale; returns their names. */
  public Future<List<String>> refresh() {
    return pool.query(STALE).execute().compose(rows -> {
      List<String> tables = new ArrayList<>();
      for (Row row : rows) {
        tables.add(row.getString(0));
      }
      Future<Void> analyzed = Future.succeededFuture();
      for (String table : tables) {
        // the names come from the fixed list above
        analyzed = analyzed.compose(v -> pool.query("ANALYZE " + table).execute().mapEmpty());
      }
      return analyzed.map(tables);
    });
  }
}
