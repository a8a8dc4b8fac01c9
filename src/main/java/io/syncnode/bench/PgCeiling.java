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
import java.util.concurrent.atomic.AtomicLong;

/**
 * What PostgreSQL alone takes for the rows a push writes, through the same reactive client: one
 * bulk INSERT ... ON CONFLICT DO UPDATE of --batch memory rows per transaction, --concurrency in
 * flight, into a scratch copy of the memories table that is dropped afterwards. Each row's values
 * travel as the node sends them (one array per column: id, content, type, namespace, the device's
 * vector clock as JSON text), so that the ceiling pays for the same bytes on the wire and the same
 * parsing in PostgreSQL. With --warmup, as many rows (at most the measured count) are upserted
 * first and not measured, as the node gets its warm-up too.
 */
final class PgCeiling {
  private static final String COLUMNS = "tenant_id, id, content, type, namespace_id, vector_clock, last_modified_by,"
      + " created_at, updated_at, tags, metadata, change_pos, changed_at";

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
    RunNames names = RunNames.random();
    String table = "bench_ceiling_" + names.runId();
    Pool pool = Database.pool(vertx, config.pg());
    // $1 ids, $2 contents, $3 types, $4 namespaces, $5 clocks: one element per row; $6 the device
    String upsert = "INSERT INTO " + table + " (" + COLUMNS + ")"
        + " SELECT 'bench', unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]),"
        + " unnest($5::text[])::json, $6, now(), now(), '{}', '{}',"
        + " pg_current_xact_id()::text::bigint * 1048576 + generate_series(1, cardinality($1::text[])), now()"
        + " ON CONFLICT (tenant_id, id) DO UPDATE SET content = excluded.content, vector_clock = excluded.vector_clock,"
        + " last_modified_by = excluded.last_modified_by, updated_at = excluded.updated_at,"
        + " change_pos = excluded.change_pos, changed_at = excluded.changed_at";
    long total = Math.min(options.items(), 200_000);
    long warmup = Math.min(options.warmup(), total);
    Rows rows = new Rows(names, "x".repeat(options.contentBytes()), options.devices());
    if (warmup > 0) {
      progress.printf("warming up PostgreSQL alone: %,d rows%n", warmup);
    }
    return pool.query("CREATE TABLE " + table + " (LIKE memories INCLUDING ALL)").execute()
        .compose(created -> upsertAll(pool, upsert, rows, "warmup-", warmup))
        .compose(warm -> {
          progress.printf("measuring PostgreSQL alone: %,d rows in batches of %d, %d in flight%n", total,
              options.batch(), options.concurrency());
          long started = System.nanoTime();
          return upsertAll(pool, upsert, rows, "ceiling-", total)
              .map(all -> total / ((System.nanoTime() - started) / 1e9));
        })
        .eventually(() -> pool.query("DROP TABLE IF EXISTS " + table).execute().eventually(pool::close));
  }

  /** Upserts {@code total} new rows, --concurrency batches in flight. */
  private Future<Void> upsertAll(Pool pool, String upsert, Rows rows, String idPrefix, long total) {
    AtomicLong next = new AtomicLong();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < options.concurrency(); i++) {
      Promise<Void> done = Promise.promise();
      upsertLoop(pool, upsert, rows, idPrefix, total, next, done);
      loops.add(done.future());
    }
    return Future.all(loops).mapEmpty();
  }

  private void upsertLoop(Pool pool, String upsert, Rows rows, String idPrefix, long total, AtomicLong next,
      Promise<Void> done) {
    long first = next.getAndAdd(options.batch());
    if (first >= total) {
      done.complete();
      return;
    }
    int size = (int) Math.min(options.batch(), total - first);
    Tuple batch = rows.batch(idPrefix, first, size, (int) (first / options.batch()));
    pool.withTransaction(conn -> conn.preparedQuery(upsert).execute(batch))
        .onComplete(written -> upsertLoop(pool, upsert, rows, idPrefix, total, next, done), done::fail);
  }

  /** The parameters of one batch: the values of memories as the load generator pushes them. */
  static final class Rows {
    private final String content;
    private final String namespace;
    private final String[] devices;
    private final String[] clocks;

    Rows(RunNames names, String content, int devices) {
      this.content = content;
      this.namespace = names.namespace();
      this.devices = new String[devices];
      this.clocks = new String[devices];
      for (int d = 0; d < devices; d++) {
        this.devices[d] = names.device(d);
        this.clocks[d] = "{\"" + this.devices[d] + "\": 1}";
      }
    }

    /** Rows {@code first} to {@code first + size - 1}, all from the device the batch number picks. */
    Tuple batch(String idPrefix, long first, int size, int batchNumber) {
      int device = batchNumber % devices.length;
      String[] ids = new String[size];
      String[] contents = new String[size];
      String[] types = new String[size];
      String[] namespaces = new String[size];
      String[] rowClocks = new String[size];
      for (int i = 0; i < size; i++) {
        ids[i] = idPrefix + (first + i);
        contents[i] = content;
        types[i] = "fact";
        namespaces[i] = namespace;
        rowClocks[i] = clocks[device];
      }
      return Tuple.of(ids, contents, types, namespaces, rowClocks, devices[device]);
    }
  }
}
