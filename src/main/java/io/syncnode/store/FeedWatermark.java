package io.syncnode.store;

import io.syncnode.worker.api.FeedMark;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the change feed may safely be read up to, held back only by writers of the synced tables
 * (memories, sessions, edges) of this database.
 *
 * <p>Changes are positioned by the id of their transaction ({@code xid << 20}). The bound is
 * {@code B = min(xmax, the smallest xid of a running writer)}, where xmax is the reading
 * statement's snapshot's (every xid below it was assigned before the statement began) and a
 * running writer is a transaction of this database that holds RowExclusiveLock on a synced table
 * and has an xid, seen in {@code pg_locks} (read after the snapshot was taken). Why no transaction
 * with an xid below B can commit a change that a read after this one does not see:
 * <ol>
 *   <li>The writers' protocol: a transaction takes RowExclusiveLock on the table it writes before
 *       it has an xid (EntityStore locks the table before it asks for the xid; a plain INSERT or
 *       UPDATE takes the lock when the statement is parsed, before it runs), and keeps it until it
 *       ends. A transaction that wrote something else first and a synced table afterwards breaks
 *       the protocol and may be skipped.</li>
 *   <li>A writer with xid x below xmax got x before the snapshot, so it held its lock before the
 *       snapshot. If it is still running when pg_locks is read, it is seen there with x, and B is
 *       at most x. If it ended before, it ended before this statement's pg_locks read; PostgreSQL
 *       makes a commit visible before it releases the transaction's locks, so every later read sees
 *       its rows.</li>
 *   <li>A transaction that gets its xid after the snapshot gets one at or above xmax, so at or
 *       above B.</li>
 * </ol>
 * Transactions of other databases, readers, and transactions that write other tables take no such
 * lock, so they never hold the feed back. ExactFeedTest fails if the bound ignores running writers.
 *
 * <p>The time is taken as the start of the oldest running writer (or now): every change not below
 * the bound is written after it, so a client that stores this time as its next
 * {@code since_timestamp} misses none of them.
 *
 * <p>The clock read after the lock list ({@code read_at}) makes the read a mark of the feed (see
 * {@link FeedMarks}): every transaction below the bound had ended by then, so every change below it
 * was written before that time.
 *
 * <p><b>Reading below the bound on a hot standby.</b> The standby has no view of the primary's
 * {@code pg_locks}, so the bound is always read on the primary, together with the primary's WAL
 * insert position L, read after pg_locks (the statement reads L from a row computed over the whole
 * lock list, so the lock list is read first). Every transaction with an xid below the bound has
 * ended by the time pg_locks is read: one that is not in the snapshot's running set ended before
 * the snapshot; one in it that is a writer would be in pg_locks and hold the bound at or below its
 * xid (points 2 and 3); one in it that writes no synced table has no row in the feed. A
 * transaction writes its commit (or abort) record into the WAL before it becomes visible and before
 * it releases its locks, so every such record lies below L. A standby that has replayed up to L
 * has therefore applied the end of every transaction below the bound, and its snapshot sees below
 * the bound exactly the rows the primary's does: {@link ReadPools#belowBound} sends feed reads
 * only to such a standby. ReplicaExactFeedTest fails when they go to a standby that has not.
 *
 * <p>A writer that holds the bound is reported: the age of the oldest is kept for the
 * {@code syncnode_feed_lag_seconds} gauge, and once it passes {@code lagWarnMs} a WARN names its
 * backend pid and age (once per transaction).
 */
public final class FeedWatermark {
  private static final Logger LOG = LoggerFactory.getLogger(FeedWatermark.class);
  private static final String QUERY =
      "WITH locks AS MATERIALIZED (SELECT locktype, database, relation, transactionid, virtualtransaction, pid, mode,"
      + " granted FROM pg_locks),"
      + " writers AS (SELECT DISTINCT r.pid, r.virtualtransaction, x.transactionid::text::bigint AS xid32 FROM locks r"
      + " LEFT JOIN locks x ON x.virtualtransaction = r.virtualtransaction AND x.locktype = 'transactionid'"
      + " AND x.mode = 'ExclusiveLock' AND x.granted"
      + " WHERE r.locktype = 'relation' AND r.mode = 'RowExclusiveLock' AND r.granted"
      + " AND r.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
      + " AND r.relation IN ('memories'::regclass, 'sessions'::regclass, 'edges'::regclass)),"
      + " snap AS (SELECT pg_current_snapshot() AS s),"
      // the running xids below xmax, as 64-bit ids, that belong to writers
      + " held AS (SELECT x::text::bigint AS xid, w.pid FROM snap CROSS JOIN LATERAL pg_snapshot_xip(snap.s) AS x"
      + " JOIN writers w ON w.xid32 = x::text::bigint % 4294967296),"
      + " holder AS (SELECT h.xid, h.pid, a.xact_start FROM held h LEFT JOIN pg_stat_activity a ON a.pid = h.pid"
      + " ORDER BY h.xid LIMIT 1)"
      + " SELECT pg_snapshot_xmax(snap.s)::text::bigint AS next_xid,"
      + " (SELECT xid FROM holder) AS held_xid, (SELECT pid FROM holder) AS holder_pid,"
      + " (SELECT extract(epoch FROM clock_timestamp() - xact_start)::float8 FROM holder) AS holder_age,"
      // the activity view is read only when there is a writer: building it took a sixth of the read
      + " CASE WHEN EXISTS (SELECT 1 FROM writers)"
      + " THEN least(now(), (SELECT min(a.xact_start) FROM pg_stat_activity a JOIN writers w ON w.pid = a.pid))"
      + " ELSE now() END - interval '1 microsecond' AS resume_time,"
      + " wal.lsn, wal.read_at"
      + " FROM snap,"
      // computed from the row of an aggregate over the whole lock list, so read after it
      + " (SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS lsn, clock_timestamp() AS read_at,"
      + " count(*) AS locks FROM locks) wal";

  private final Pool pool;
  private final ReadPools reads;
  private final FeedMarks marks;
  private final long lagWarnMs;
  /** The age of the oldest running writer at the last read, in microseconds. */
  private final AtomicLong lagMicros = new AtomicLong();
  private final AtomicReference<Long> warnedXid = new AtomicReference<>(-1L);

  /**
   * A watermark read on the primary's {@code pool}, whose marks are noted in {@code reads} for the
   * replicas and written to {@code marks} for pulls by time.
   */
  public FeedWatermark(Pool pool, ReadPools reads, FeedMarks marks, long lagWarnMs) {
    this.pool = pool;
    this.reads = reads;
    this.marks = marks;
    this.lagWarnMs = lagWarnMs;
  }

  public Future<FeedMark> current() {
    // prepared: planned at each read (the lock list, the snapshot, the activity view), it cost
    // 1.56 ms a read against 0.13 ms prepared (pgbench), and every pull reads it
    return pool.preparedQuery(QUERY).execute().map(rows -> {
      Row row = rows.iterator().next();
      long next = row.getLong("next_xid");
      Long held = row.getLong("held_xid");
      report(held, row.getInteger("holder_pid"), row.getDouble("holder_age"));
      long bound = held == null ? next : Math.min(next, held);
      reads.noteMark(bound * EntitySql.POSITIONS_PER_TRANSACTION, row.getLong("lsn"));
      marks.note(row.getOffsetDateTime("read_at"), bound * EntitySql.POSITIONS_PER_TRANSACTION);
      return new FeedMark(bound * EntitySql.POSITIONS_PER_TRANSACTION, next * EntitySql.POSITIONS_PER_TRANSACTION,
          StoredText.instant(row.getOffsetDateTime("resume_time")));
    });
  }

  /** Seconds the oldest running writer of the synced tables had been running at the last read. */
  public double lagSeconds() {
    return lagMicros.get() / 1_000_000.0;
  }

  private void report(Long heldXid, Integer pid, Double ageSeconds) {
    double age = heldXid == null || ageSeconds == null ? 0 : Math.max(0, ageSeconds);
    lagMicros.set((long) (age * 1_000_000));
    if (heldXid != null && age * 1000 >= lagWarnMs && !heldXid.equals(warnedXid.getAndSet(heldXid))) {
      LOG.warn("the change feed is held back by a transaction writing the synced tables: backend pid {},"
          + " transaction {} running for {} s; changes after it reach pulls and live streams only when it ends",
          pid, heldXid, String.format(java.util.Locale.ROOT, "%.1f", age));
    }
  }
}
