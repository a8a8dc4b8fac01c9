package io.syncnode;

import com.hazelcast.core.HazelcastInstance;
import io.syncnode.admin.Admin;
import io.syncnode.bench.Bench;
import io.syncnode.cluster.ClusterMembership;
import io.syncnode.config.ConfigException;
import io.syncnode.config.ConfigLoader;
import io.syncnode.config.ConfigReloader;
import io.syncnode.config.CurrentConfig;
import io.syncnode.config.NodeConfig.LogFormat;
import io.syncnode.config.NodeConfig;
import io.syncnode.config.UsageException;
import io.syncnode.config.Version;
import io.syncnode.http.ListenAddress;
import io.syncnode.log.FatalLine;
import io.syncnode.log.LogFormats;
import io.syncnode.metrics.NodeMetrics;
import io.syncnode.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar syncnode.jar [--conf FILE]}: starts a node. Without --conf, conf/node.json is
 * read if present, else the built-in defaults; SYNCNODE_* environment variables override either.
 * {@code bench} and {@code admin} as first argument run those tools instead. SIGTERM and SIGINT
 * stop it gracefully; SIGHUP reads the configuration again ({@link ConfigReloader}).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final Path DEFAULT_CONF = Path.of("conf", "node.json");

  private Main() {}

  public static void main(String[] args) {
    if (!ConfigLoader.isLogLevel(System.getenv("SYNCNODE_LOG_LEVEL"))) {
      // logback took the unknown level as DEBUG; the configuration error that stops the node says why
      LogFormats.defaultLevel();
    }
    if (args.length > 0 && args[0].equals("bench")) {
      System.exit(Bench.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("admin")) {
      // stdout carries what the command answers; the log goes to stderr
      LogFormats.toStandardError();
      System.exit(new Admin(System.out, System.err).run(System.getenv(),
          java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    NodeArguments arguments;
    try {
      arguments = NodeArguments.parse(args);
    } catch (UsageException e) {
      System.err.println("syncnode: " + e.getMessage());
      System.err.println(NodeArguments.USAGE);
      System.exit(2);
      return;
    }
    if (arguments.help()) {
      System.out.println(NodeArguments.USAGE);
      System.exit(0);
    }
    if (arguments.version()) {
      System.out.println("syncnode " + Version.current());
      System.exit(0);
    }
    Path conf = arguments.conf();
    if (conf == null && Files.isRegularFile(DEFAULT_CONF)) {
      conf = DEFAULT_CONF;
    }
    Map<String, String> env = System.getenv();
    CurrentConfig current;
    try {
      current = CurrentConfig.load(conf, env);
    } catch (ConfigException e) {
      fail(ConfigLoader.logFormatOf(conf, env), 2, "configuration error: " + e.getMessage());
      return;
    }
    NodeConfig config = current.get();
    LogFormat format = config.log().format();
    LogFormats.use(config.log());
    current.onReload(reload -> LogFormats.use(reload.current().log()));
    ConfigReloader reloader = new ConfigReloader(conf, System::getenv, current);
    // From here on SIGHUP reloads the configuration; the JVM's own handler would stop the node at once.
    if (Signal.handle(new Signal("HUP"), signal -> reloader.reload()) == sun.misc.SignalHandler.SIG_IGN) {
      // The JVM keeps a signal that the process was started ignoring (nohup) ignored.
      LOG.warn("SIGHUP is ignored in this process (started with nohup?): it will not reload the configuration");
    }
    if (config.auth().mode() == NodeConfig.AuthMode.NONE && !NodeConfig.isLoopback(config.http().host())) {
      LOG.warn("auth.mode=none on {} (auth.allowUnauthenticated=true): anyone who reaches it can read and overwrite"
          + " everything", config.http().host());
    }
    // Before the database: a node that cannot listen must not create or migrate anything.
    Optional<String> cannotListen = ListenAddress.problem(config.http().host(), config.http().port());
    if (cannotListen.isPresent()) {
      fail(format, 1, cannotListen.get());
      return;
    }
    try {
      Database.prepare(config.pg());
    } catch (RuntimeException e) {
      fail(format, 1, "cannot prepare the database: " + e.getMessage());
      return;
    }
    NodeMetrics metrics = NodeMetrics.create(config.metrics().enabled());
    Vertx vertx;
    HazelcastInstance hazelcast = null;
    if (config.cluster().enabled()) {
      try {
        ClusterMembership membership = ClusterMembership.join(config.cluster(), metrics::vertxBuilder).toCompletionStage()
            .toCompletableFuture().get(config.cluster().joinTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
        vertx = membership.vertx();
        hazelcast = membership.hazelcast();
      } catch (Exception e) {
        fail(format, 1, "cannot join the cluster at " + config.cluster().host() + ":" + config.cluster().port()
            + " (members " + config.cluster().members() + ") within " + config.cluster().joinTimeoutMs() + " ms: "
            + rootMessage(e));
        return;
      }
    } else {
      vertx = metrics.vertxBuilder(new VertxOptions()).build();
    }
    SyncNode node;
    try {
      node = SyncNode.start(vertx, current, hazelcast, metrics).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      Throwable root = rootCause(e);
      fail(format, 1, ListenAddress.isListenFailure(root)
          ? ListenAddress.describe(config.http().host(), config.http().port(), root)
          : "cannot start: " + rootMessage(e));
      return;
    }
    LOG.info("syncnode listening on {}://{}:{} (version {}, database {} at {}:{}, locks {})",
        config.http().tls().enabled() ? "https" : "http", config.http().host(),
        config.http().port(), Version.current(), config.pg().database(), config.pg().host(), config.pg().port(),
        config.locks().mode().name().toLowerCase(java.util.Locale.ROOT));
    SyncNode running = node;
    // SIGHUP also makes the node read its HTTPS certificate files again
    current.onReload(reload -> running.reloadCertificates());
    CompletableFuture<Void> stopping = new CompletableFuture<>();
    Signal.handle(new Signal("TERM"), signal -> stop(running, vertx, stopping));
    Signal.handle(new Signal("INT"), signal -> stop(running, vertx, stopping));
  }

  private static synchronized void stop(SyncNode node, Vertx vertx, CompletableFuture<Void> stopping) {
    if (stopping.isDone()) {
      return;
    }
    stopping.complete(null);
    LOG.info("stopping: no new requests, finishing those in flight");
    int status = 0;
    try {
      node.stop().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      // Closed from this thread: a close composed on a Vert.x context would complete on a closed context.
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      LOG.info("stopped");
    } catch (Exception e) {
      LOG.error("unclean stop: {}", rootMessage(e));
      status = 1;
    }
    System.exit(status);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = rootCause(e);
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  /** The node's last line (JSON with log.format=json), then exit with {@code status}. */
  private static void fail(LogFormat format, int status, String message) {
    System.out.flush();
    FatalLine.write(System.err, format, Main.class.getName(), message);
    System.exit(status);
  }
}
