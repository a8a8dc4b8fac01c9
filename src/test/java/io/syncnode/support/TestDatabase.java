package io.syncnode.support;

import io.syncnode.config.ConfigLoader;
import io.syncnode.config.NodeConfig;
import io.syncnode.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A database of its own for one test class, migrated, dropped at the end. It is made on the PostgreSQL
 * where a node would look: {@code SYNCNODE_PG_HOST}, {@code SYNCNODE_PG_PORT}, {@code SYNCNODE_PG_USER},
 * {@code SYNCNODE_PG_PASSWORD}, by default {@code postgres} on 127.0.0.1:5432 without a password.
 */
public final class TestDatabase implements AutoCloseable {
  public static final String HOST = System.getenv().getOrDefault("SYNCNODE_PG_HOST", "127.0.0.1");
  public static final String PORT = System.getenv().getOrDefault("SYNCNODE_PG_PORT", "5432");
  public static final String USER = System.getenv().getOrDefault("SYNCNODE_PG_USER", "postgres");
  public static final String PASSWORD = System.getenv().getOrDefault("SYNCNODE_PG_PASSWORD", "");

  private final String name;
  private final String host;
  private final String port;

  private TestDatabase(String name, String host, String port) {
    this.name = name;
    this.host = host;
    this.port = port;
  }

  public static TestDatabase create(Class<?> testClass) {
    return create(testClass, HOST, Integer.parseInt(PORT));
  }

  /** A database of its own on the PostgreSQL at {@code host:port} (e.g. a test's private primary). */
  public static TestDatabase create(Class<?> testClass, String host, int port) {
    TestDatabase db = new TestDatabase(uniqueName(testClass), host, Integer.toString(port));
    Database.prepare(db.config(Map.of()).pg());
    return db;
  }

  /**
   * A database of its own with the migrations up to {@code version} only, as an earlier release left
   * it; a node started on it applies the rest.
   */
  public static TestDatabase createAtVersion(Class<?> testClass, String version) {
    String name = uniqueName(testClass);
    TestDatabase db = new TestDatabase(name, HOST, PORT);
    String server = "jdbc:postgresql://" + HOST + ":" + PORT + "/";
    try (Connection conn = DriverManager.getConnection(server + "postgres", USER, PASSWORD);
         Statement create = conn.createStatement()) {
      create.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create " + name, e);
    }
    Flyway.configure().dataSource(server + name, USER, PASSWORD).locations("classpath:db/migration")
        .target(version).load().migrate();
    return db;
  }

  private static String uniqueName(Class<?> testClass) {
    return ("syncnode_test_" + testClass.getSimpleName() + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
  }

  public String name() {
    return name;
  }

  /** The environment a node for this database runs with, plus {@code extra}. */
  public Map<String, String> environment(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("SYNCNODE_PG_HOST", host);
    env.put("SYNCNODE_PG_PORT", port);
    env.put("SYNCNODE_PG_USER", USER);
    env.put("SYNCNODE_PG_PASSWORD", PASSWORD);
    env.put("SYNCNODE_PG_DATABASE", name);
    env.putAll(extra);
    return env;
  }

  public NodeConfig config(Map<String, String> extra) {
    return ConfigLoader.load(null, environment(extra));
  }

  /** A small pool for a test to look at the tables directly. */
  public Pool pool(Vertx vertx) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(2))
        .connectingTo(new PgConnectOptions().setHost(host).setPort(Integer.parseInt(port)).setUser(USER)
            .setPassword(PASSWORD).setDatabase(name))
        .using(vertx)
        .build();
  }

  /** A digest of every stored row of every table: equal before and after means nothing was written. */
  public static Future<String> fingerprint(Pool pool) {
    return pool.query("SELECT md5(concat_ws('|',"
        + " (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM devices t),"
        + " (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM sync_state t),"
        + " (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM memories t),"
        + " (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM sessions t),"
        + " (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM edges t)))").execute()
        .map(rows -> rows.iterator().next().getString(0));
  }

  @Override
  public void close() {
    try (Connection conn = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", USER, PASSWORD);
         Statement drop = conn.createStatement()) {
      drop.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop " + name, e);
    }
  }
}
