package io.syncnode.bench;

import io.vertx.core.Vertx;
import io.syncnode.config.ConfigLoader;
import io.syncnode.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code java -jar syncnode.jar bench ...}: drives a server and reports what it carried. */
public final class Bench {
  private static final Path DEFAULT_CONF = Path.of("conf", "node.json");

  private Bench() {}

  /** Runs the benchmark; returns the process exit status. */
  public static int run(String... args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("syncnode bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      return 2;
    }
    if (BenchOptions.wantsHelp(args)) {
      System.out.println(BenchOptions.USAGE);
      return 0;
    }
    Vertx vertx = Vertx.vertx();
    try {
      Double ceiling = null;
      if (options.pgCeiling()) {
        NodeConfig config = ConfigLoader.load(Files.isRegularFile(DEFAULT_CONF) ? DEFAULT_CONF : null, System.getenv());
        ceiling = new PgCeiling(vertx, config, options, System.out).measure().toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.MINUTES);
      }
      BenchReport report = new BenchRun(vertx, options, System.out).run().toCompletionStage().toCompletableFuture()
          .get(options.durationSeconds() + 600L, TimeUnit.SECONDS);
      if (ceiling != null) {
        report = report.withCeiling(ceiling);
      }
      System.out.print(report.toTable());
      if (options.out() != null) {
        Files.writeString(options.out(), report.toJson().encodePrettily() + "\n");
      }
      return 0;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("syncnode bench: " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
      return 1;
    } finally {
      vertx.close();
    }
  }
}
