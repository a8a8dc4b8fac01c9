package io.syncnode;

import com.hazelcast.core.HazelcastInstance;
import io.syncnode.admin.Admin;
import io.syncnode.bench.Bench;
import io.syncnode.cluster.ClusterMembership;
import io.syncnode.config.ConfigException;
import io.syncnode.config.ConfigLoader;
import io.syncnode.config.NodeConfig;
import io.syncnode.log.LogFormats;
import io.syncnode.metrics.NodeMetrics;
import io.syncnode.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar syncnode.jar [--conf FILE]}: starts a node. Without --conf, conf/node.json is
 * read if present, else the built-in defaults; SYNCNODE_* environment variables override either.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final Path DEFAULT_CONF = Path.of("conf", "node.json");

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("bench")) {
      System.exit(Bench.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals("admin")) {
      System.exit(new Admin(System.out, System.err).run(System.getenv(),
          java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    Path conf = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--conf") && i + 1 < args.length) {
        conf = Path.of(args[++i]);
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println("usage: java -jar syncnode.jar [--conf FILE]\n       java -jar syncnode.jar bench --help"
            + "\n       java -jar syncnode.jar admin");
        return;
      } else {
        fail(2, "unknown argument '" + args[i] + "' (usage: java -jar syncnode.jar [--conf FILE])");
      }
    }
    if (conf == null && Files.isRegularFile(DEFAULT_CONF)) {
      conf = DEFAULT_CONF;
    }
    NodeConfig config;
    try {
      config = ConfigLoader.load(conf, System.getenv());
    } catch (ConfigException e) {
      fail(2, "configuration error: " + e.getMessage());
      return;
    }
    LogFormats.use(config.log().format());
    if (config.auth().mode() == NodeConfig.AuthMode.NONE && !NodeConfig.isLoopback(config.http().host())) {
      LOG.warn("auth.mode=none on {} (auth.allowUnauthenticated=true): anyone who reaches it can read and overwrite"
          + " everything", config.http().host());
    }
    try {
      Database.prepare(config.pg());
    } catch (RuntimeException e) {
      fail(1, "cannot prepare the database: " + e.getMessage());
    }
    NodeMetrics metrics = NodeMetrics.create(config.metrics().enabled());
    Vertx vertx;
    HazelcastInstance hazelcast = null;
    if (config.cluster().enabled()) {
      try {
        ClusterMembership membership = ClusterMembership.join(config.cluster(), metrics).toCompletionStage()
            .toCompletableFuture().get(config.cluster().joinTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
        vertx = membership.vertx();
        hazelcast = membership.hazelcast();
      } catch (Exception e) {
        fail(1, "cannot join the cluster at " + config.cluster().host() + ":" + config.cluster().port()
            + " (members " + config.cluster().members() + ") within " + config.cluster().joinTimeoutMs() + " ms: "
            + rootMessage(e));
        return;
      }
    } else {
      vertx = metrics.vertxBuilder(new VertxOptions()).build();
    }
    SyncNode node;
    try {
      node = SyncNode.start(vertx, config, hazelcast, metrics).toCompletionStage().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      fail(1, "cannot start: " + rootMessage(e));
      return;
    }
    LOG.info("syncnode listening on {}://{}:{} (database {} at {}:{}, locks {})",
        config.http().tls().enabled() ? "https" : "http", config.http().host(),
        config.http().port(), config.pg().database(), config.pg().host(), config.pg().port(),
        config.locks().mode().name().toLowerCase(java.util.Locale.ROOT));
    SyncNode running = node;
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

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  private static void fail(int status, String message) {
    System.err.println("syncnode: " + message);
    System.exit(status);
  }
}
