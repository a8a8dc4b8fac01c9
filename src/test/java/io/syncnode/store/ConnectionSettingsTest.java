package io.syncnode.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.config.NodeConfig.PgConfig;
import io.syncnode.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The settings each of a node's clients runs its statements with: the node's pool plans each
 * execution and waits for a commit's WAL flush; the client of pull pages keeps its plans and commits
 * its only write, the device's pull record, without waiting for the flush.
 */
@ExtendWith(VertxExtension.class)
class ConnectionSettingsTest {
  private static TestDatabase db;
  private static PgConfig pg;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create(ConnectionSettingsTest.class);
    pg = db.config(Map.of()).pg();
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @Test
  void theNodesPoolWaitsForTheFlushAndPlansEachExecution(Vertx vertx, VertxTestContext test) {
    Pool pool = Database.pool(vertx, pg);
    settings(pool).eventually(pool::close).onComplete(test.succeeding(values -> test.verify(() -> {
      assertThat(values).containsExactly("on", "force_custom_plan");
      test.completeNow();
    })));
  }

  @Test
  void thePullClientCommitsWithoutWaitingForTheFlushAndKeepsItsPlans(Vertx vertx, VertxTestContext test) {
    Pool pull = Database.pullClient(vertx, pg, pg.firstHost(), "syncnode-pg-pull");
    settings(pull).eventually(pull::close).onComplete(test.succeeding(values -> test.verify(() -> {
      assertThat(values).containsExactly("off", "force_generic_plan");
      test.completeNow();
    })));
  }

  private static Future<List<String>> settings(Pool pool) {
    return pool.query("SELECT current_setting('synchronous_commit'), current_setting('plan_cache_mode')").execute()
        .map(rows -> List.of(rows.iterator().next().getString(0), rows.iterator().next().getString(1)));
  }
}
