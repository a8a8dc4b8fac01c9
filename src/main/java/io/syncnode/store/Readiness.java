package io.syncnode.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** Whether the database is reachable through the pool and carries the schema this node expects. */
public final class Readiness {
  /** The highest migration version under db/migration; a test keeps the two in step. */
  public static final String SCHEMA_VERSION = "6";
  private static final String CHECK =
      "SELECT EXISTS (SELECT 1 FROM flyway_schema_history WHERE version = '" + SCHEMA_VERSION + "' AND success)";

  private final Pool pool;

  public Readiness(Pool pool) {
    this.pool = pool;
  }

  /** Succeeds with whether the schema is at this node's version; fails if the database cannot be reached. */
  public Future<Boolean> schemaCurrent() {
    return pool.query(CHECK).execute().map(rows -> rows.iterator().next().getBoolean(0));
  }
}
