package io.syncnode.bench;

import io.syncnode.config.NodeConfig;
import io.syncnode.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What PostgreSQL alone takes for the rows a push writes, through the same reactive client: one
 * bulk INSERT ... ON CONFLICT DO UPDATE of --batch memory rows per transaction, --concurrency in
 * flight, into a scratch copy of the memories table that is dropped afterwards. With --warmup, as
 * many rows (at most the measured count) are upserted first and not measured, as the node gets its
 * warm-up too.
 */
final class PgCeiling {
  private static final String COLUMNS = "tenant_id, id, vector_clock, created_at, updated_at, content, type, tags,"
      + " namespace_id, metadata, change_pos, changed_at";

  private final Vertx vertx;
  private final NodeConfig config;
  private final BenchOptions options;
  private final PrintStream progress;

  PgCeiling(Vertx vertx, NodeConfig config, BenchOptions options, PrintStream progress) {
    this.vertx = vertx;
    this.config = config;
    this.options = options;
    this.progress = progress;
  }

  /** Rows per second. */
  Future<Double> measure() {
    String table = "bench_ceiling_" + UUID.randomUUID().toString().substring(0, 8);
    Pool pool = Database.pool(vertx, config.pg());
    String upsert = "INSERT INTO " + table + " (" + COLUMNS + ")"
        + " SELECT 'bench', id, '{\"bench\":1}'::jsonb, now(), now(), $2, 'fact', '{}', 'global', '{}',"
        + " pg_current_xact_id()::text::bigint * 1048576 + ord, now()"
        + " FROM unnest($1::text[]) WITH ORDINALITY AS r(id, ord)"
        + " ON CONFLICT (tenant_id, id) DO UPDATE SET content = excluded.content, vector_clock = excluded.vector_clock,"
        + " updated_at = excluded.updated_at, change_pos = excluded.change_pos, changed_at = excluded.changed_at";
    long total = Math.min(options.items(), 200_000);
    long warmup = Math.min(options.warmup(), total);
    String content = "x".repeat(options.contentBytes());
    if (warmup > 0) {
      progress.printf("warming up PostgreSQL alone: %,d rows%n", warmup);
    }
    return pool.query("CREATE TABLE " + table + " (LIKE memories INCLUDING ALL)").execute()
        .compose(created -> upsertAll(pool, upsert, content, "warmup-", warmup))
        .compose(warm -> {
          progress.printf("measuring PostgreSQL alone: %,d rows in batches of %d, %d in flight%n", total,
              options.batch(), options.concurrency());
          long started = System.nanoTime();
          return upsertAll(pool, upsert, content, "ceiling-", total)
              .map(all -> total / ((System.nanoTime() - started) / 1e9));
        })
        .eventually(() -> pool.query("DROP TABLE IF EXISTS " + table).execute().eventually(pool::close));
  }

  /** Upserts {@code total} new rows, --concurrency batches in flight. */
  private Future<Void> upsertAll(Pool pool, String upsert, String content, String idPrefix, long total) {
    AtomicLong next = new AtomicLong();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < options.concurrency(); i++) {
      Promise<Void> done = Promise.promise();
      upsertLoop(pool, upsert, content, idPrefix, total, next, done);
      loops.add(done.future());
    }
    return Future.all(loops).mapEmpty();
  }

  private void upsertLoop(Pool pool, String upsert, String content, String idPrefix, long total, AtomicLong next,
      Promise<Void> done) {
    long first = next.getAndAdd(options.batch());
    if (first >= total) {
      done.complete();
      return;
    }
    int size = (int) Math.min(options.batch(), total - first);
    String[] ids = new String[size];
    for (int i = 0; i < size; i++) {
      ids[i] = idPrefix + (first + i);
    }
    pool.withTransaction(conn -> conn.preparedQuery(upsert).execute(Tuple.of(ids, content)))
        .onComplete(rows -> upsertLoop(pool, upsert, content, idPrefix, total, next, done), done::fail);
  }
}
