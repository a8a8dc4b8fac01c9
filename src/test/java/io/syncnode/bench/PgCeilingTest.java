package io.syncnode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeTestBase;
import io.syncnode.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL alone on the rows of a push, against the test class's database. */
class PgCeilingTest extends NodeTestBase {

  @Test
  void measuresARateInAScratchTableItDropsAfterwards(VertxTestContext test) {
    BenchOptions options = BenchOptions.parse("--items", "400", "--batch", "20", "--concurrency", "2",
        "--warmup", "100", "--pg-ceiling");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Pool pool = db.pool(vertx);
    TestDatabase.fingerprint(pool).compose(before ->
        new PgCeiling(vertx, db.config(Map.of()), options, new PrintStream(progress, true, StandardCharsets.UTF_8))
            .measure()
            .compose(rate -> pool.query("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'bench_ceiling_%'")
                .execute().compose(tables -> TestDatabase.fingerprint(pool).map(after -> {
                  assertThat(rate).isPositive();
                  assertThat(tables.iterator().next().getLong(0)).as("scratch tables left").isZero();
                  assertThat(after).as("the node's tables").isEqualTo(before);
                  assertThat(progress.toString(StandardCharsets.UTF_8))
                      .contains("warming up PostgreSQL alone: 100 rows")
                      .contains("measuring PostgreSQL alone: 400 rows in batches of 20, 2 in flight");
                  return rate;
                }))))
        .eventually(pool::close)
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void everyRowOfABatchCarriesItsOwnValuesFromTheBatchsDevice() {
    PgCeiling.Rows rows = new PgCeiling.Rows(new RunNames("run1"), "x".repeat(5), 2);

    Tuple second = rows.batch("ceiling-", 20, 3, 1);

    assertThat(second.getArrayOfStrings(0)).containsExactly("ceiling-20", "ceiling-21", "ceiling-22");
    assertThat(second.getArrayOfStrings(1)).containsExactly("xxxxx", "xxxxx", "xxxxx");
    assertThat(second.getArrayOfStrings(2)).containsExactly("fact", "fact", "fact");
    assertThat(second.getArrayOfStrings(3)).containsExactly("bench-run1", "bench-run1", "bench-run1");
    for (String clock : second.getArrayOfStrings(4)) {
      assertThat(new JsonObject(clock).getMap()).isEqualTo(Map.of("bench-run1-device-1", 1));
    }
    assertThat(second.getString(5)).isEqualTo("bench-run1-device-1");
    assertThat(rows.batch("ceiling-", 40, 1, 2).getString(5)).isEqualTo("bench-run1-device-0");
  }
}
