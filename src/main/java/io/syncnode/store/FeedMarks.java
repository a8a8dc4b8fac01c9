package io.syncnode.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed's marks (table {@code feed_marks}): pairs (time T, position B) such that every change at a
 * position below B was written before T. A pull by time, whose filter is {@code changed_at > since},
 * can then skip every position below the bound of the last mark at or before its since: nothing there
 * changed after it. Without marks its first page scanned the feed from its start and dropped all the
 * older rows one by one.
 *
 * <p>A watermark read gives a mark: every transaction below its bound had ended when {@code pg_locks}
 * was read, and a change is written (its {@code changed_at} taken) before its transaction ends, so
 * the database's clock read after the lock list is such a T (see {@link FeedWatermark}). Marks are
 * written at most once per {@link #INTERVAL}; the ones older than {@link #KEPT_WHOLE} are thinned
 * to the last of each hour, which keeps any mark's use correct and only less close.
 */
public final class FeedMarks {
  private static final Logger LOG = LoggerFactory.getLogger(FeedMarks.class);
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration KEPT_WHOLE = Duration.ofDays(1);
  private static final long THIN_EVERY = 3_600;

  private static final String WRITE = "INSERT INTO feed_marks (marked_at, bound) VALUES ($1, $2)";
  // A later mark of the same hour is looked for within that hour only (an index range), so the marks
  // already thinned to one an hour cost a probe each, not a scan of every later mark.
  private static final String THIN = "DELETE FROM feed_marks m WHERE m.marked_at < $1 AND EXISTS (SELECT 1 FROM"
      + " feed_marks l WHERE l.marked_at > m.marked_at"
      + " AND l.marked_at < date_trunc('hour', m.marked_at) + interval '1 hour')";

  private final Pool pool;
  private Instant lastWritten = Instant.MIN;
  private long written;

  public FeedMarks(Pool pool) {
    this.pool = pool;
  }

  /**
   * Writes the mark (T, bound) unless one was written less than {@link #INTERVAL} before; the pull
   * that read the watermark does not wait for it.
   */
  synchronized void note(OffsetDateTime readAt, long bound) {
    Instant at = readAt.toInstant();
    if (at.isBefore(lastWritten.plus(INTERVAL))) {
      return;
    }
    lastWritten = at;
    boolean thin = written++ % THIN_EVERY == 0;
    pool.preparedQuery(WRITE).execute(Tuple.of(readAt, bound))
        .compose(done -> thin ? thin(at.minus(KEPT_WHOLE)) : Future.succeededFuture())
        .onFailure(error -> LOG.debug("feed mark not written: {}", error.getMessage()));
  }

  private Future<Void> thin(Instant olderThan) {
    return pool.preparedQuery(THIN).execute(Tuple.of(StoredText.utc(olderThan))).mapEmpty();
  }
}
