package io.syncnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeProcess;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A node that cannot start stops at once, saying where and why, before it touches anything it
 * cannot use; with log.format=json even that last line is JSON.
 */
class StartupFailureTest {
  private record Run(int status, String out, String err) {
    List<String> lines() {
      return Stream.concat(out.lines(), err.lines()).filter(line -> !line.isBlank()).toList();
    }
  }

  /** A node on the test PostgreSQL with {@code extra} settings, run until it exits. */
  private static Run node(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "SYNCNODE_PG_HOST", TestDatabase.HOST,
        "SYNCNODE_PG_PORT", TestDatabase.PORT,
        "SYNCNODE_PG_USER", TestDatabase.USER,
        "SYNCNODE_PG_PASSWORD", TestDatabase.PASSWORD,
        "SYNCNODE_HTTP_PORT", Integer.toString(TestNode.freePort())));
    env.putAll(extra);
    try (NodeProcess node = NodeProcess.command(env)) {
      int status = node.awaitExit(90);
      return new Run(status, node.output(), node.errors());
    }
  }

  private static boolean databaseExists(String name) throws Exception {
    try (Connection conn = DriverManager.getConnection("jdbc:postgresql://" + TestDatabase.HOST + ":"
            + TestDatabase.PORT + "/postgres", TestDatabase.USER, TestDatabase.PASSWORD);
         PreparedStatement check = conn.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      check.setString(1, name);
      try (ResultSet row = check.executeQuery()) {
        return row.next();
      }
    }
  }

  private static String freshDatabaseName() {
    return ("syncnode_test_port_taken_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
  }

  @Test
  void aTakenPortStopsTheNodeBeforeItTouchesTheDatabase() throws Exception {
    String database = freshDatabaseName();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();

      Run run = node(Map.of("SYNCNODE_HTTP_PORT", Integer.toString(port), "SYNCNODE_PG_DATABASE", database));

      assertThat(run.status()).as(run.lines().toString()).isEqualTo(1);
      assertThat(run.err()).startsWith("syncnode: cannot listen on 127.0.0.1:" + port + ": address already in use")
          .contains("http.port").contains("SYNCNODE_HTTP_PORT");
      assertThat(run.out()).doesNotContain("database");
    }
    assertThat(databaseExists(database)).as("database " + database + " created").isFalse();
  }

  @Test
  void withJsonLogsTheFatalLineIsJsonToo() throws Exception {
    String database = freshDatabaseName();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();

      Run run = node(Map.of("SYNCNODE_HTTP_PORT", Integer.toString(port), "SYNCNODE_PG_DATABASE", database,
          "SYNCNODE_LOG_FORMAT", "json"));

      assertThat(run.status()).isEqualTo(1);
      List<JsonObject> lines = run.lines().stream().map(JsonObject::new).toList();
      JsonObject last = lines.get(lines.size() - 1);
      assertThat(last.getString("level")).isEqualTo("ERROR");
      assertThat(last.getBoolean("fatal")).isTrue();
      assertThat(last.getString("msg")).startsWith("cannot listen on 127.0.0.1:" + port + ": address already in use");
    }
    assertThat(databaseExists(database)).isFalse();
  }

  @Test
  void aConfigurationErrorWithJsonLogsIsJson() throws Exception {
    Run run = node(Map.of("SYNCNODE_LOG_FORMAT", "json", "SYNCNODE_HTTP_PORT", "9000x"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.lines()).hasSize(1);
    JsonObject line = new JsonObject(run.lines().get(0));
    assertThat(line.getString("level")).isEqualTo("ERROR");
    assertThat(line.getString("msg"))
        .isEqualTo("configuration error: http.port (SYNCNODE_HTTP_PORT): must be an integer, got \"9000x\"");
  }

  @Test
  void aRoleThatPostgresqlRefusesIsNamedWithTheAddress() throws Exception {
    Run run = node(Map.of("SYNCNODE_PG_USER", "no_such_role_14"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("reached PostgreSQL at " + TestDatabase.HOST + ":" + TestDatabase.PORT
        + ", which refused role no_such_role_14").contains("SYNCNODE_PG_USER");
  }

  @Test
  void noPostgresqlAtTheAddressIsNoAnswerFromIt() throws Exception {
    int nothing = TestNode.freePort();

    Run run = node(Map.of("SYNCNODE_PG_PORT", Integer.toString(nothing)));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("no answer from " + TestDatabase.HOST + ":" + nothing)
        .contains("SYNCNODE_PG_PORT").doesNotContain("postmaster");
  }

  @Test
  void anUnknownLogLevelStopsTheNode() throws Exception {
    Run run = node(Map.of("SYNCNODE_LOG_LEVEL", "LOUD"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("syncnode: configuration error: log.level: must be one of trace, debug,"
        + " info, warn, error, off, got \"LOUD\"");
    assertThat(run.out()).doesNotContain("DEBUG");
  }
}
