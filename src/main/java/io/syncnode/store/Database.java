package io.syncnode.store;

import io.syncnode.config.NodeConfig.PgAddress;
import io.syncnode.config.NodeConfig.PgConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The database a node runs on: creating it if asked, migrating it, and the reactive pool over it. */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private Database() {}

  /**
   * Creates the database if it is missing and {@code pg.createDatabase} allows it, then applies the
   * Flyway migrations. Blocking (JDBC): called once at start, before any verticle is deployed.
   */
  public static void prepare(PgConfig pg) {
    if (pg.createDatabase()) {
      createIfMissing(pg);
    }
    org.flywaydb.core.api.output.MigrateResult result;
    try {
      result = Flyway.configure()
          .dataSource(jdbcUrl(pg, pg.database()), pg.user(), pg.password())
          .locations("classpath:db/migration")
          .connectRetries(0)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new IllegalStateException(PgFailures.describe(pg, e), e);
    }
    LOG.info("database {} at schema version {} ({} migrations applied now)",
        pg.database(), result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
        result.migrationsExecuted);
  }

  private static void createIfMissing(PgConfig pg) {
    Properties props = new Properties();
    props.setProperty("user", pg.user());
    props.setProperty("password", pg.password());
    try (Connection conn = DriverManager.getConnection(jdbcUrl(pg, "postgres"), props);
         var check = conn.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      check.setString(1, pg.database());
      if (check.executeQuery().next()) {
        return;
      }
      try (Statement create = conn.createStatement()) {
        create.execute("CREATE DATABASE \"" + pg.database().replace("\"", "\"\"") + "\"");
        LOG.info("created database {}", pg.database());
      }
    } catch (SQLException e) {
      // Created meanwhile by another node starting at the same time: 42P04 when that node's CREATE
      // had committed, 23505 (on pg_database's name index) when both ran at once.
      if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
        throw new IllegalStateException(PgFailures.describe(pg, e), e);
      }
    }
  }

  /**
   * The JDBC URL of a database on the primary: with several candidates for it (pg.hosts), the driver
   * connects to the one that accepts writes.
   */
  public static String jdbcUrl(PgConfig pg, String database) {
    String hosts = pg.hosts().stream().map(PgAddress::toString).collect(java.util.stream.Collectors.joining(","));
    return "jdbc:postgresql://" + hosts + "/" + database + "?connectTimeout="
        + Math.max(1, pg.connectTimeoutMs() / 1000) + (pg.hosts().size() > 1 ? "&targetServerType=primary" : "");
  }

  /** A reactive pool on the first of the primary's candidates (the node's own follows the primary: {@link PrimaryPool}). */
  public static Pool pool(Vertx vertx, PgConfig pg) {
    return pool(vertx, pg, pg.firstHost(), pg.poolSize(), "syncnode-pg");
  }

  /** A reactive pool of {@code size} connections to the server at {@code address}. */
  static Pool pool(Vertx vertx, PgConfig pg, PgAddress address, int size, String name) {
    return PgBuilder.pool()
        .with(poolOptions(size, name))
        .with(new NetClientOptions().setConnectTimeout(pg.connectTimeoutMs()))
        // Planned for each execution's values: a generic plan chosen while a table was small would stay
        // a sequential scan as the table grows, until its next ANALYZE.
        .connectingTo(connectOptions(pg, address, "force_custom_plan"))
        .using(vertx)
        .build();
  }

  /**
   * The client of pull pages' statements on the server at {@code address}: a pool of {@code
   * pg.pullPoolSize} connections, a statement at a time on each (pipelined on a few connections, a
   * page's reads waited for each other in one backend while the cores had time to spare).
   *
   * <p>Each statement keeps the plan it was given at its first execution on a connection. A page's
   * statements (index range reads with a limit, lookups and upserts by key) have the same best plan
   * for any values, and planning them anew for each page, as the pool does, costs PostgreSQL about
   * as much as reading a small page's rows. PostgreSQL plans them again after an ANALYZE of their
   * tables.
   *
   * <p>Its only write, the device's pull record, commits without waiting for its WAL to reach the
   * disk ({@code synchronous_commit = off}): a record lost in a crash of the database, or in a
   * failover to a standby that had not received it, leaves the device's pull position behind, and
   * its next pull by time serves more of the other devices' changes, never fewer. Waiting for the
   * flush cost PostgreSQL about twice the CPU of the record, for every page.
   */
  static Pool pullClient(Vertx vertx, PgConfig pg, PgAddress address, String name) {
    return PgBuilder.pool()
        .with(poolOptions(pg.pullPoolSize(), name))
        .with(new NetClientOptions().setConnectTimeout(pg.connectTimeoutMs()))
        .connectingTo(connectOptions(pg, address, "force_generic_plan").addProperty("synchronous_commit", "off"))
        .using(vertx)
        .build();
  }

  private static PoolOptions poolOptions(int size, String name) {
    return new PoolOptions()
        .setMaxSize(size)
        .setMaxWaitQueueSize(10_000)
        .setName(name)
        .setShared(false);
  }

  private static PgConnectOptions connectOptions(PgConfig pg, PgAddress address, String planCacheMode) {
    return new PgConnectOptions()
        .setHost(address.host())
        .setPort(address.port())
        .setDatabase(pg.database())
        .setUser(pg.user())
        .setPassword(pg.password())
        .setCachePreparedStatements(true)
        // the batch write statement is long; statements up to this size stay prepared
        .setPreparedStatementCacheSqlLimit(32_768)
        .setPipeliningLimit(256)
        .addProperty("plan_cache_mode", planCacheMode)
        .addProperty("application_name", "syncnode");
  }
}
