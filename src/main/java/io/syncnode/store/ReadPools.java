package io.syncnode.store;

import io.syncnode.worker.api.ReplicaState;

import io.syncnode.config.NodeConfig.PgAddress;
import io.syncnode.config.NodeConfig.PgConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Where a read runs: on a hot standby of {@code pg.replicas} that has replayed the primary's WAL far
 * enough for the read to see what it must see, else on the primary.
 *
 * <p>Each read names the WAL position it needs, as an LSN of the primary:
 * <ul>
 *   <li>A read of the change feed below a bound needs the LSN read with that bound ({@link
 *       FeedWatermark}, which notes it here): every transaction below the bound had committed or
 *       aborted when the bound was read, so its commit or abort record lies below that LSN, and a
 *       standby that has replayed up to it decides every one of them as the primary did. Below the
 *       bound, the standby then holds exactly the rows the primary holds: the feed stays exact. A
 *       push acknowledged before the pull asked for its bound is below the bound, so the device
 *       sees its own writes.</li>
 *   <li>Any other read (diff, Merkle summary, status counts) needs the primary's LSN at the time it
 *       is asked for: what any client had written and been told was stored is then seen.</li>
 * </ul>
 * Replicas are taken in turn. One is skipped while it does not answer, is not in recovery, or lags
 * more than {@code pg.maxReplicaLagMs} (both checked every {@value #WATCH_MS} ms); one that has not
 * replayed up to the needed LSN is waited for up to {@value #WAIT_MS} ms, then the next is tried,
 * then the primary serves the read.
 */
public final class ReadPools {
  static final long WATCH_MS = 500;
  static final long WAIT_MS = 100;
  private static final long POLL_MS = 2;
  /** Marks noted and kept for the feed reads that follow them; older bounds are read on the primary. */
  private static final int MARKS_KEPT = 4096;
  private static final String REPLAYED = "SELECT pg_is_in_recovery(), (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint";
  private static final String PRIMARY_LSN = "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint";

  private final Vertx vertx;
  private final Pool primary;
  private final SqlClient primaryPullClient;
  /** Changes when the node moves to another primary: LSNs read on an earlier one are not used again. */
  private final LongSupplier primaryEpoch;
  private final long maxLagMs;
  private final List<Replica> replicas;
  private final AtomicInteger turn = new AtomicInteger();
  /** Position bound of a mark, and the LSN read with it. */
  private final ConcurrentSkipListMap<Long, Long> marks = new ConcurrentSkipListMap<>();
  /** The highest LSN noted with a mark since the last move to another primary (-1: none). */
  private final java.util.concurrent.atomic.AtomicLong latestMarkLsn = new java.util.concurrent.atomic.AtomicLong(-1);
  private volatile long marksEpoch;
  /** The primary's LSN at recent watch rounds, oldest first: when a replica had caught up with it. */
  private final Deque<long[]> primarySamples = new ArrayDeque<>();
  private long timer = -1;
  private volatile boolean closed;

  /** One standby: its pool, its client of pull pages, and what the last watch round found. */
  private static final class Replica {
    final PgAddress address;
    final Pool pool;
    final SqlClient pullClient;
    volatile long replayed = -1;
    volatile long lagMs = Long.MAX_VALUE;
    /** Null while it may serve reads; else why not. */
    volatile String problem = "not checked yet";

    Replica(PgAddress address, Pool pool, SqlClient pullClient) {
      this.address = address;
      this.pool = pool;
      this.pullClient = pullClient;
    }

    void replayedAtLeast(long lsn) {
      if (lsn > replayed) {
        replayed = lsn;
      }
    }
  }

  private ReadPools(Vertx vertx, Pool primary, SqlClient primaryPullClient, LongSupplier primaryEpoch, long maxLagMs,
      List<Replica> replicas) {
    this.vertx = vertx;
    this.primary = primary;
    this.primaryPullClient = primaryPullClient;
    this.primaryEpoch = primaryEpoch;
    this.maxLagMs = maxLagMs;
    this.replicas = replicas;
  }

  /** Every read on {@code primary}, pull pages' too. */
  public static ReadPools primaryOnly(Pool primary) {
    return new ReadPools(null, primary, primary, () -> 0, 0, List.of());
  }

  /** Reads on the replicas of {@code pg.replicas}, watched from now on, and on the primary when none fits. */
  public static ReadPools open(Vertx vertx, PgConfig pg, PrimaryPool primary) {
    List<Replica> replicas = new ArrayList<>();
    for (PgAddress address : pg.replicas()) {
      replicas.add(new Replica(address, Database.pool(vertx, pg, address, pg.poolSize(), "syncnode-pg-replica"),
          Database.pullClient(vertx, pg, address, "syncnode-pg-replica-pull")));
    }
    ReadPools reads = new ReadPools(vertx, primary, primary.pullClient(), primary::failovers, pg.maxReplicaLagMs(),
        List.copyOf(replicas));
    if (!replicas.isEmpty()) {
      reads.watch();
    }
    return reads;
  }

  /** Notes the LSN read with a feed bound (see {@link FeedWatermark}). */
  void noteMark(long positionBound, long lsn) {
    if (replicas.isEmpty()) {
      return;
    }
    forgetOtherPrimaries();
    marks.merge(positionBound, lsn, Math::min);
    latestMarkLsn.accumulateAndGet(lsn, Math::max);
    while (marks.size() > MARKS_KEPT) {
      marks.pollFirstEntry();
    }
  }

  /**
   * A pool that sees every change below {@code positionBound}, a bound read by {@link FeedWatermark};
   * with {@code Long.MAX_VALUE} (the rows above a pull's bound, stored already), one that has
   * replayed up to the latest LSN noted with a bound, which is at least the pull's own: it sees
   * every change committed before the pull began.
   */
  public Future<Pool> belowBound(long positionBound) {
    if (replicas.isEmpty()) {
      return Future.succeededFuture(primary);
    }
    return replicaBelowBound(positionBound).map(replica -> replica == null ? primary : replica.pool);
  }

  /** The client of pull pages ({@link Database#pullClient}) on the server {@link #belowBound} chooses. */
  public Future<SqlClient> pullClientBelowBound(long positionBound) {
    if (replicas.isEmpty()) {
      return Future.succeededFuture(primaryPullClient);
    }
    return replicaBelowBound(positionBound)
        .map(replica -> replica == null ? primaryPullClient : replica.pullClient);
  }

  /** The replica that sees every change below the bound (see {@link #belowBound}), null for the primary. */
  private Future<Replica> replicaBelowBound(long positionBound) {
    forgetOtherPrimaries();
    // A mark with a higher bound has every transaction below this one decided below its LSN too.
    Long lsn;
    if (positionBound == Long.MAX_VALUE) {
      lsn = latestMarkLsn.get() < 0 ? null : latestMarkLsn.get();
    } else {
      Map.Entry<Long, Long> mark = marks.ceilingEntry(positionBound);
      lsn = mark == null ? null : mark.getValue();
    }
    return lsn == null ? Future.succeededFuture() : replayedTo(lsn);
  }

  /** A pool that sees everything committed on the primary before this call. */
  public Future<Pool> current() {
    if (replicas.isEmpty()) {
      return Future.succeededFuture(primary);
    }
    return primary.query(PRIMARY_LSN).execute()
        .compose(rows -> replayedTo(rows.iterator().next().getLong(0)), failed -> Future.succeededFuture())
        .map(replica -> replica == null ? primary : replica.pool);
  }

  private void forgetOtherPrimaries() {
    long epoch = primaryEpoch.getAsLong();
    if (epoch != marksEpoch) {
      marks.clear();
      latestMarkLsn.set(-1);
      marksEpoch = epoch;
    }
  }

  /**
   * A replica that has replayed up to {@code lsn} (the next ones in turn, each waited for a while),
   * else null: the primary.
   */
  private Future<Replica> replayedTo(long lsn) {
    List<Replica> usable = new ArrayList<>(replicas.size());
    int first = Math.floorMod(turn.getAndIncrement(), replicas.size());
    for (int i = 0; i < replicas.size(); i++) {
      Replica replica = replicas.get((first + i) % replicas.size());
      if (replica.problem == null) {
        usable.add(replica);
      }
    }
    return tryReplicas(usable, 0, lsn);
  }

  private Future<Replica> tryReplicas(List<Replica> usable, int index, long lsn) {
    if (index == usable.size()) {
      return Future.succeededFuture();
    }
    Replica replica = usable.get(index);
    if (replica.replayed >= lsn) {
      return Future.succeededFuture(replica);
    }
    Promise<Replica> chosen = Promise.promise();
    awaitReplay(replica, lsn, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS), chosen);
    return chosen.future().compose(caughtUp -> caughtUp != null ? Future.succeededFuture(caughtUp)
        : tryReplicas(usable, index + 1, lsn));
  }

  /** Completes {@code chosen} with the replica once it has replayed to {@code lsn}, or null at the deadline. */
  private void awaitReplay(Replica replica, long lsn, long deadline, Promise<Replica> chosen) {
    replica.pool.query(REPLAYED).execute().onComplete(asked -> {
      if (asked.failed() || !asked.result().iterator().next().getBoolean(0)) {
        chosen.complete(null);
        return;
      }
      Long replayed = asked.result().iterator().next().getLong(1);
      if (replayed != null) {
        replica.replayedAtLeast(replayed);
      }
      if (replica.replayed >= lsn) {
        chosen.complete(replica);
      } else if (System.nanoTime() >= deadline) {
        chosen.complete(null);
      } else {
        vertx.setTimer(POLL_MS, id -> awaitReplay(replica, lsn, deadline, chosen));
      }
    });
  }

  /** The state of each replica, as the last watch round found it. */
  public List<ReplicaState> states() {
    List<ReplicaState> states = new ArrayList<>(replicas.size());
    for (Replica replica : replicas) {
      states.add(new ReplicaState(replica.address.toString(),
          replica.lagMs == Long.MAX_VALUE ? -1 : replica.lagMs, replica.problem));
    }
    return states;
  }

  /** The lag of the replica at {@code index} of pg.replicas, in seconds (NaN while unknown). */
  public double lagSeconds(int index) {
    long lag = replicas.get(index).lagMs;
    return lag == Long.MAX_VALUE ? Double.NaN : lag / 1000.0;
  }

  public List<String> addresses() {
    return replicas.stream().map(replica -> replica.address.toString()).toList();
  }

  private void watch() {
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    Future<Long> primaryLsn = primary.query(PRIMARY_LSN).execute().map(rows -> rows.iterator().next().getLong(0));
    List<Future<Row>> asked = new ArrayList<>();
    for (Replica replica : replicas) {
      asked.add(primaryLsn.transform(any -> replica.pool.query(REPLAYED).execute()
          .timeout(WATCH_MS * 4, TimeUnit.MILLISECONDS).map(rows -> rows.iterator().next())));
    }
    Future.join(asked).onComplete(done -> {
      if (primaryLsn.succeeded()) {
        primarySamples.addLast(new long[] {now, primaryLsn.result()});
        while (primarySamples.size() > 2 + Math.max(maxLagMs, 10 * WATCH_MS) / WATCH_MS) {
          primarySamples.removeFirst();
        }
      }
      for (int i = 0; i < replicas.size(); i++) {
        judge(replicas.get(i), asked.get(i), now);
      }
      timer = vertx.setTimer(WATCH_MS, id -> watch());
    });
  }

  /**
   * How far behind the primary a replica is: 0 once it has replayed what the primary had written at
   * this round; else the time since the latest round whose primary LSN it has replayed.
   */
  private void judge(Replica replica, Future<Row> asked, long now) {
    if (asked.failed()) {
      replica.problem = "does not answer: " + asked.cause().getMessage();
      return;
    }
    Row row = asked.result();
    if (!row.getBoolean(0)) {
      replica.problem = "not in recovery: not a standby";
      return;
    }
    Long replayed = row.getLong(1);
    if (replayed == null) {
      replica.problem = "has replayed nothing yet";
      return;
    }
    replica.replayedAtLeast(replayed);
    long caughtUpAt = -1;
    long oldest = now;
    for (long[] sample : primarySamples) {
      oldest = Math.min(oldest, sample[0]);
      if (sample[1] <= replica.replayed) {
        caughtUpAt = Math.max(caughtUpAt, sample[0]);
      }
    }
    long since = caughtUpAt >= 0 ? caughtUpAt : oldest;
    replica.lagMs = caughtUpAt == now ? 0 : TimeUnit.NANOSECONDS.toMillis(now - since);
    replica.problem = replica.lagMs > maxLagMs ? "lags " + replica.lagMs + " ms, more than pg.maxReplicaLagMs" : null;
  }

  public Future<Void> close() {
    closed = true;
    if (vertx != null) {
      vertx.cancelTimer(timer);
    }
    return Future.all(replicas.stream()
        .flatMap(replica -> java.util.stream.Stream.of(replica.pool.close(), replica.pullClient.close())).toList())
        .mapEmpty();
  }
}
