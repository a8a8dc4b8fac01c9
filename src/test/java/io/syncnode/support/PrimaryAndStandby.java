package io.syncnode.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL primary and a hot standby of it, each in a temporary folder on a free port:
 * initdb, then {@code pg_basebackup -R}. Run by root, the servers run as {@code postgres}. Each
 * server logs every statement (log_statement=all), so that a test can count what reached which.
 * {@link #close} stops both and deletes the folder.
 */
public final class PrimaryAndStandby implements AutoCloseable {
  private static final Path BIN = Path.of(System.getenv().getOrDefault("SYNCNODE_TEST_PGBIN",
      "/usr/lib/postgresql/15/bin"));
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  public final Server primary;
  public final Server standby;
  private final Path dir;

  private PrimaryAndStandby(Path dir, Server primary, Server standby) {
    this.dir = dir;
    this.primary = primary;
    this.standby = standby;
  }

  /** Whether the PostgreSQL binaries are there to build a pair. */
  public static boolean available() {
    return Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_basebackup"));
  }

  /**
   * Builds and starts both. With {@code synchronous}, the primary acknowledges a commit only once
   * the standby has it ({@code synchronous_standby_names = '*'}, {@code synchronous_commit = on}).
   */
  public static PrimaryAndStandby start(boolean synchronous) throws Exception {
    return start(synchronous, 0);
  }

  /**
   * Builds and starts both; the standby applies each commit {@code applyDelayMs} after it was
   * made ({@code recovery_min_apply_delay}), so that a read on it that does not wait for what it
   * needs reads stale rows every time, not only when it happens to be slow.
   */
  public static PrimaryAndStandby start(boolean synchronous, long applyDelayMs) throws Exception {
    Path dir = PostgresFolder.create("syncnode-pg-pair");
    if (ROOT) {
      UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    Server primary = new Server("primary", dir.resolve("primary"), TestNode.freePort(), dir);
    Server standby = new Server("standby", dir.resolve("standby"), TestNode.freePort(), dir);
    PrimaryAndStandby pair = new PrimaryAndStandby(dir, primary, standby);
    try {
      run(BIN.resolve("initdb").toString(), "-D", primary.data.toString(), "-U", "postgres", "--auth=trust",
          "-E", "UTF8", "--no-locale");
      Files.writeString(primary.data.resolve("postgresql.conf"), primary.settings()
          + "wal_level = replica\nmax_wal_senders = 5\nwal_keep_size = '256MB'\n"
          + (synchronous ? "synchronous_standby_names = '*'\nsynchronous_commit = on\n" : ""),
          java.nio.file.StandardOpenOption.APPEND);
      primary.start();
      run(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primary.port),
          "-U", "postgres", "-D", standby.data.toString(), "-R", "-X", "stream", "-c", "fast");
      // the copy carries the primary's settings; the standby's own come last and win
      Files.writeString(standby.data.resolve("postgresql.conf"), standby.settings()
          // as README asks of a standby that serves reads: a read is not cancelled by the replay of
          // the primary's clean-up of rows it may still see
          // as README asks of a standby that serves reads: a read is not cancelled by the replay of
          // the primary's clean-up of rows it may still see; the standby reports its oldest
          // snapshot every second, so that the primary keeps no more dead rows than that second's
          + "synchronous_standby_names = ''\nhot_standby_feedback = on\nwal_receiver_status_interval = '1s'\n"
          + "recovery_min_apply_delay = '" + applyDelayMs + "ms'\n",
          java.nio.file.StandardOpenOption.APPEND);
      standby.start();
      return pair;
    } catch (Exception | Error e) {
      pair.close();
      throw e;
    }
  }

  /** Waits until the standby has replayed everything the primary had written when called. */
  public void awaitReplayed() throws Exception {
    String lsn = primary.queryString("postgres", "SELECT pg_current_wal_insert_lsn()::text");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!standby.queryBoolean("postgres", "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the standby did not replay up to " + lsn + " within 30 s");
      }
      Thread.sleep(20);
    }
  }

  /** Stops replaying WAL on the standby: it keeps receiving it, and its data stands still. */
  public void pauseReplay() throws SQLException {
    standby.execute("postgres", "SELECT pg_wal_replay_pause()");
  }

  public void resumeReplay() throws SQLException {
    standby.execute("postgres", "SELECT pg_wal_replay_resume()");
  }

  /** Stops both servers and deletes their folder. */
  @Override
  public void close() throws IOException {
    standby.stopQuietly();
    primary.stopQuietly();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** One PostgreSQL server of the pair. */
  public static final class Server {
    public final String name;
    public final Path data;
    public final int port;
    private final Path socketDir;
    private final Path log;

    Server(String name, Path data, int port, Path socketDir) {
      this.name = name;
      this.data = data;
      this.port = port;
      this.socketDir = socketDir;
      this.log = socketDir.resolve(name + ".log");
    }

    /** {@code 127.0.0.1:port}, as pg.hosts and pg.replicas name it. */
    public String address() {
      return "127.0.0.1:" + port;
    }

    String settings() {
      return "\nport = " + port + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + socketDir + "'\n"
          + "max_connections = 60\nshared_buffers = '32MB'\nhot_standby = on\nfsync = off\nwal_writer_delay = '10ms'\n"
          + "log_statement = 'all'\nlog_line_prefix = '%m [%p] %d '\nlog_min_messages = warning\n";
    }

    public void start() throws Exception {
      run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60", "start");
    }

    /** A clean stop ({@code fast}: open sessions are ended). */
    public void stop() throws Exception {
      run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
    }

    /** Turns a standby into a primary, and waits until it accepts writes. */
    public void promote() throws Exception {
      run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "promote");
    }

    void stopQuietly() {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        try {
          run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
        } catch (Exception e) {
          // already stopped, or gone with its folder
        }
      }
    }

    public Connection connect(String database) throws SQLException {
      return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
    }

    public void execute(String database, String sql) throws SQLException {
      try (Connection conn = connect(database); Statement statement = conn.createStatement()) {
        statement.execute(sql);
      }
    }

    public String queryString(String database, String sql) throws SQLException {
      return query(database, sql, rows -> rows.getString(1));
    }

    public boolean queryBoolean(String database, String sql) throws SQLException {
      return query(database, sql, rows -> rows.getBoolean(1));
    }

    public long queryLong(String database, String sql) throws SQLException {
      return query(database, sql, rows -> rows.getLong(1));
    }

    private interface Column<T> {
      T of(ResultSet rows) throws SQLException;
    }

    /** The first column of the first row. */
    private <T> T query(String database, String sql, Column<T> column) throws SQLException {
      try (Connection conn = connect(database); Statement statement = conn.createStatement();
           ResultSet rows = statement.executeQuery(sql)) {
        rows.next();
        return column.of(rows);
      }
    }

    /** How many statements this server has logged in {@code database} that contain {@code fragment}. */
    public long statementsContaining(String database, String fragment) throws IOException {
      if (!Files.exists(log)) {
        return 0;
      }
      String prefix = "] " + database + " LOG:  ";
      try (Stream<String> lines = Files.lines(log)) {
        return lines.filter(line -> line.contains(prefix) && line.contains(fragment)
            && (line.contains(" statement: ") || line.contains(" execute "))).count();
      }
    }
  }

  /** Runs a PostgreSQL program (as postgres when root) and fails with its output if it fails. */
  static void run(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if (ROOT) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    Path output = Files.createTempFile("syncnode-pg-command", ".out");
    try {
      Process process = new ProcessBuilder(full).directory(Path.of("/").toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      awaitSuccess(process, command, output);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static void awaitSuccess(Process process, String[] command, Path output) throws Exception {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
          + Files.readString(output));
    }
  }
}
