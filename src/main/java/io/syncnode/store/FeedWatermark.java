package io.syncnode.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;

/**
 * Where the change feed may safely be read up to. Changes are positioned by the id of their
 * transaction, and every transaction below the snapshot's xmin has finished, so positions below
 * {@code xmin << 20} can no longer be joined by a late commit: a pull serves only those.
 *
 * <p>The time is taken first, as the start of the oldest transaction that holds an id (or now):
 * every change not below the position bound is written after it, so a client that stores this
 * time as its next {@code since_timestamp} misses none of them.
 */
public final class FeedWatermark {
  private static final String TIME =
      "SELECT least(now(), (SELECT min(xact_start) FROM pg_stat_activity WHERE backend_xid IS NOT NULL))"
      + " - interval '1 microsecond'";
  private static final String XMIN = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

  private final Pool pool;

  public FeedWatermark(Pool pool) {
    this.pool = pool;
  }

  /** The feed's safe end: positions below {@code positionBound}, and the time to resume from. */
  public record Mark(long positionBound, Instant time) {}

  public Future<Mark> current() {
    return pool.query(TIME).execute().compose(time -> pool.query(XMIN).execute().map(xmin -> new Mark(
        xmin.iterator().next().getLong(0) * EntitySql.POSITIONS_PER_TRANSACTION,
        StoredText.instant(time.iterator().next().getOffsetDateTime(0)))));
  }
}
