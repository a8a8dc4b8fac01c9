package io.syncnode.store;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Marks older than a day are thinned to the last of each hour; newer ones are all kept. */
class FeedMarksThinningTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static Pool pool;

  @BeforeAll
  static void open() {
    vertx = Vertx.vertx();
    db = TestDatabase.create(FeedMarksThinningTest.class);
    pool = db.pool(vertx);
  }

  @AfterAll
  static void drop() throws Exception {
    await(pool.close());
    await(vertx.close());
    db.close();
  }

  private static List<String> marks(String where) throws Exception {
    List<String> marks = new ArrayList<>();
    for (Row row : await(pool.query("SELECT to_char(marked_at AT TIME ZONE 'UTC', 'HH24:MI') || '=' || bound"
        + " FROM feed_marks WHERE " + where + " ORDER BY marked_at").execute())) {
      marks.add(row.getString(0));
    }
    return marks;
  }

  @Test
  void theFirstMarkOfANodeThinsTheMarksOlderThanADayToTheLastOfEachHour() throws Exception {
    // three marks in each of two hours two days back, and three an hour ago
    await(pool.query("INSERT INTO feed_marks (marked_at, bound)"
        + " SELECT date_trunc('hour', now()) - h * interval '1 hour' + m * interval '10 minutes', h * 100 + m"
        + " FROM unnest(ARRAY[50, 49, 1]) h, generate_series(1, 3) m").execute());
    List<String> recent = marks("marked_at > now() - interval '1 day'");
    OffsetDateTime now = await(pool.query("SELECT clock_timestamp()").execute()).iterator().next().getOffsetDateTime(0);

    new FeedMarks(pool).note(now, 1_000_000);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (marks("marked_at < now() - interval '1 day'").size() > 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(marks("marked_at < now() - interval '1 day'")).as("the last mark of each old hour")
        .extracting(mark -> mark.substring(mark.indexOf('=') + 1)).containsExactly("5003", "4903");
    assertThat(marks("marked_at > now() - interval '1 day' AND bound < 1000000")).isEqualTo(recent).hasSize(3);
    assertThat(marks("bound = 1000000")).as("the node's own mark").hasSize(1);
  }
}
