package io.syncnode.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.config.NodeConfig.PgConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Preparing the database: nodes started at once on a database that does not exist yet, and the schema they set up. */
class DatabasePrepareTest {
  private final String name = "syncnode_test_prepare_" + UUID.randomUUID().toString().substring(0, 8);
  private final PgConfig pg = new PgConfig("127.0.0.1", 5432, name, "postgres", "", 4, true, 5000);

  @AfterEach
  void drop() throws Exception {
    try (Connection conn = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
      conn.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  @Test
  void nodesPreparingTheSameNewDatabaseAtOnceAllSucceed() throws Exception {
    int nodes = 6;
    CyclicBarrier together = new CyclicBarrier(nodes);
    ExecutorService threads = Executors.newFixedThreadPool(nodes);
    try {
      List<CompletableFuture<Void>> prepared = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        prepared.add(CompletableFuture.runAsync(() -> {
          try {
            together.await(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          Database.prepare(pg);
        }, threads));
      }
      CompletableFuture.allOf(prepared.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
    try (Connection conn = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + name, "postgres", "");
         ResultSet version = conn.createStatement().executeQuery(
             "SELECT max(version::int) FROM flyway_schema_history WHERE success")) {
      assertThat(version.next()).isTrue();
      assertThat(Integer.toString(version.getInt(1))).isEqualTo(Readiness.SCHEMA_VERSION);
    }
  }

  @Test
  void analyzeKeepsStatisticsOfTheSearchedColumnsOnly() throws Exception {
    Database.prepare(pg);
    try (Connection conn = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + name, "postgres", "")) {
      conn.createStatement().execute("INSERT INTO memories (tenant_id, id, vector_clock, created_at, updated_at,"
          + " content, type, tags, namespace_id, metadata, change_pos, changed_at)"
          + " SELECT 't', 'm' || i, '{\"a\": 1}', now(), now(), 'content ' || i, 'fact', '{x}', 'global', '{}', i, now()"
          + " FROM generate_series(1, 50) i");
      conn.createStatement().execute("ANALYZE memories");
      List<String> columns = new ArrayList<>();
      try (ResultSet stats = conn.createStatement().executeQuery(
          "SELECT attname FROM pg_stats WHERE tablename = 'memories' ORDER BY attname")) {
        while (stats.next()) {
          columns.add(stats.getString(1));
        }
      }
      assertThat(columns).containsExactly("change_pos", "changed_at", "id", "merkle_bucket", "namespace_id", "tenant_id");
    }
  }
}
