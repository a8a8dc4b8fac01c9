package io.syncnode.store;

import io.syncnode.config.NodeConfig.PgAddress;
import io.syncnode.config.NodeConfig.PgConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool of everything that writes, on whichever of {@code pg.hosts} is the primary now: the
 * candidate that accepts writes (not in recovery, not {@code default_transaction_read_only}).
 *
 * <p>With more than one candidate, the primary is probed on a connection of its own every
 * {@value #CHECK_MS} ms, and within {@value #SEARCH_MS} ms after the pool could not connect to
 * it; once it does not answer or answers that it is read-only (a standby, a demoted primary),
 * every candidate is probed every {@value #SEARCH_MS} ms until one is a primary. Then a pool and
 * a client of pull pages on the new primary take over and the old ones are closed, so that no
 * connection to the old server is used again; statements that were running on it fail, and
 * requests are answered 503 until the new primary is found. The current primary is kept while
 * it stays one, so that an old primary that comes back un-demoted next to a promoted standby is not
 * switched to: fencing it is the failover manager's job.
 */
public final class PrimaryPool extends ForwardingSqlClient implements Pool {
  private static final Logger LOG = LoggerFactory.getLogger(PrimaryPool.class);
  static final long CHECK_MS = 1000;
  static final long SEARCH_MS = 200;
  private static final String POOL_NAME = "syncnode-pg";
  private static final String PULL_CLIENT_NAME = "syncnode-pg-pull";

  private final Vertx vertx;
  private final PgConfig pg;
  private final AtomicLong failovers = new AtomicLong();
  private final Promise<Void> located = Promise.promise();
  private final Map<PgAddress, Pool> probes = new ConcurrentHashMap<>();
  private volatile Located current;
  private final SqlClient pullClient = new CurrentPullClient();
  /** Null while the current server is known to be the primary; else why not. */
  private volatile String problem;
  private volatile boolean closed;
  private long timer = -1;
  /** Whether a check or search runs now (rounds never overlap). */
  private final AtomicBoolean roundRunning = new AtomicBoolean();
  private volatile long lastRoundNanos = System.nanoTime();
  /** Set when a connection to the primary failed: the next tick checks it without waiting for its turn. */
  private volatile boolean suspected;

  /** The server written to, the pool on it and the client of pull pages on it. */
  private record Located(PgAddress address, Pool pool, SqlClient pullClient) {
    Located(Vertx vertx, PgConfig pg, PgAddress address) {
      this(address, Database.pool(vertx, pg, address, pg.poolSize(), POOL_NAME),
          Database.pullClient(vertx, pg, address, PULL_CLIENT_NAME));
    }

    Future<Void> close() {
      return Future.join(pool.close(), pullClient.close()).mapEmpty();
    }
  }

  private PrimaryPool(Vertx vertx, PgConfig pg) {
    this.vertx = vertx;
    this.pg = pg;
    this.current = new Located(vertx, pg, pg.firstHost());
  }

  /**
   * A pool on {@code pg.hosts}'s first candidate that looks for the primary among all of them at once
   * (see {@link #located}) and watches it when there is more than one.
   */
  public static PrimaryPool open(Vertx vertx, PgConfig pg) {
    PrimaryPool pool = new PrimaryPool(vertx, pg);
    if (pg.hosts().size() > 1) {
      pool.search().onComplete(done -> {
        pool.located.tryComplete();
        pool.timer = vertx.setPeriodic(SEARCH_MS, id -> pool.tick());
      });
    } else {
      pool.located.complete();
    }
    return pool;
  }

  /** Completes once the first look for the primary is over (at once with a single candidate). */
  public Future<Void> located() {
    return located.future();
  }

  /** The server written to now. */
  public PgAddress address() {
    return current.address();
  }

  /**
   * The client of pull pages' statements ({@link Database#pullClient}) on the server written to now:
   * it moves with the pool.
   */
  public SqlClient pullClient() {
    return pullClient;
  }

  /** Null while the server written to is known to be the primary; else what is wrong. */
  public String problem() {
    return problem;
  }

  /** How many times the node has moved its writes to another server since start. */
  public long failovers() {
    return failovers.get();
  }

  /**
   * Every {@value #SEARCH_MS} ms: a search while there is no primary; a check of the primary every
   * {@value #CHECK_MS} ms, or at once after a connection to it failed.
   */
  private void tick() {
    boolean due = problem != null || suspected
        || System.nanoTime() - lastRoundNanos >= TimeUnit.MILLISECONDS.toNanos(CHECK_MS);
    if (closed || !due || !roundRunning.compareAndSet(false, true)) {
      return;
    }
    suspected = false;
    lastRoundNanos = System.nanoTime();
    Future<Void> round = problem == null ? check() : search();
    round.onComplete(done -> roundRunning.set(false));
  }

  /** Probes the current primary; searches at once if it is not one any more. */
  private Future<Void> check() {
    PgAddress address = current.address();
    return readOnly(address).transform(probe -> {
      if (probe.succeeded() && !probe.result()) {
        return Future.succeededFuture();
      }
      problem = address + (probe.succeeded() ? " is read-only (in recovery, or default_transaction_read_only)"
          : " does not answer: " + probe.cause().getMessage());
      LOG.warn("the primary {}; looking for the new one among {}", problem, pg.hosts());
      return search();
    });
  }

  /** Probes every candidate at once and moves to the primary among them, the current one first. */
  private Future<Void> search() {
    List<Future<Boolean>> probes = new ArrayList<>();
    for (PgAddress candidate : pg.hosts()) {
      probes.add(readOnly(candidate));
    }
    return Future.join(probes).transform(all -> {
      PgAddress found = null;
      for (int i = 0; i < probes.size(); i++) {
        Future<Boolean> probe = probes.get(i);
        boolean primary = probe.succeeded() && !probe.result();
        if (primary && (found == null || pg.hosts().get(i).equals(current.address()))) {
          found = pg.hosts().get(i);
        }
      }
      if (found == null) {
        problem = "no primary among " + pg.hosts();
        return Future.succeededFuture();
      }
      if (!found.equals(current.address())) {
        moveTo(found);
      }
      problem = null;
      return Future.succeededFuture();
    });
  }

  /** Moves the writes to {@code primary}; a move at start (the first candidate was not the primary) is no failover. */
  private void moveTo(PgAddress primary) {
    Located old = current;
    current = new Located(vertx, pg, primary);
    if (located.future().isComplete()) {
      failovers.incrementAndGet();
      LOG.warn("writes now go to the primary {} (were going to {})", primary, old.address());
    } else {
      LOG.info("the primary is {}", primary);
    }
    old.close();
  }

  /**
   * Whether the server refuses writes (in recovery, or read-only for every new transaction, as some
   * managed services make a server whose disk is full), asked on a connection of its own (a full
   * pool of requests does not delay it); fails if it cannot be reached within pg.connectTimeoutMs.
   */
  private Future<Boolean> readOnly(PgAddress address) {
    Pool probe = probes.computeIfAbsent(address, at -> Database.pool(vertx, pg, at, 1, "syncnode-pg-probe"));
    return probe.query("SELECT pg_is_in_recovery() OR current_setting('default_transaction_read_only')::boolean")
        .execute()
        .timeout(pg.connectTimeoutMs(), TimeUnit.MILLISECONDS)
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  @Override
  public Future<SqlConnection> getConnection() {
    return current.pool().getConnection().onFailure(error -> suspected = true);
  }

  @Override
  protected SqlClient target() {
    return current.pool();
  }

  @Override
  public int size() {
    return current.pool().size();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(timer);
    probes.values().forEach(Pool::close);
    return current.close();
  }

  /** Statements on the current primary's pull client; closed with the primary pool. */
  private final class CurrentPullClient extends ForwardingSqlClient {
    @Override
    protected SqlClient target() {
      return current.pullClient();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
