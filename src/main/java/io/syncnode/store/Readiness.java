package io.syncnode.store;

import io.syncnode.worker.api.DatabaseReport;

import io.vertx.core.Future;
import java.util.List;

/**
 * Whether the database is reachable through the pool and carries the schema this node expects, and
 * which servers the node uses: the primary it writes to, and the replicas it reads from.
 */
public final class Readiness {
  /** The highest migration version under db/migration; a test keeps the two in step. */
  public static final String SCHEMA_VERSION = "9";
  private static final String CHECK =
      "SELECT EXISTS (SELECT 1 FROM flyway_schema_history WHERE version = '" + SCHEMA_VERSION + "' AND success)";

  private final PrimaryPool primary;
  private final ReadPools reads;

  public Readiness(PrimaryPool primary, ReadPools reads) {
    this.primary = primary;
    this.reads = reads;
  }

  /** Succeeds with the report; fails if the primary cannot be reached (saying why when the node knows). */
  public Future<DatabaseReport> check() {
    return primary.query(CHECK).execute().transform(checked -> {
      String problem = primary.problem();
      if (checked.failed()) {
        return Future.failedFuture(checked.cause().getMessage() + (problem == null ? "" : " (" + problem + ")"));
      }
      return Future.succeededFuture(new DatabaseReport(checked.result().iterator().next().getBoolean(0),
          primary.address().toString(), problem, reads.states()));
    });
  }
}
