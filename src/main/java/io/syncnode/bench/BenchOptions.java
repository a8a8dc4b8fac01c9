package io.syncnode.bench;

import io.syncnode.config.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a benchmark run does; parsed from {@code bench --key value ...}. */
public record BenchOptions(
    String url,
    String apiKey,
    Scenario scenario,
    long items,
    int batch,
    int devices,
    int concurrency,
    int contentBytes,
    int durationSeconds,
    Path out,
    boolean pgCeiling,
    int rounds,
    long warmup,
    PullMode pullMode,
    int page) {

  /** The servers of --url, in order. */
  public List<String> urls() {
    return List.of(url.split(","));
  }

  /** How many items the measured phase moves before it stops (unless the duration ends first). */
  public long itemsToMove() {
    return scenario == Scenario.PUSH || scenario == Scenario.CONFLICT ? items : items * rounds;
  }

  public enum Scenario {
    /** Every device pushes batches of new memories of its own. */
    PUSH,
    /** Devices push the same ids at once, each with only its own edits: conflicts and stale writes. */
    CONFLICT,
    /** After pushing --items memories, readers page through the feed with limit --page (see --pull-mode). */
    PULL,
    /** After pushing --items memories, devices send the whole manifest of them (items = manifest entries). */
    DIFF,
    /** After pushing half of --items, 60% pushes, 30% pull pages, 10% diffs. */
    MIXED
  }

  /** How the pull scenarios page. */
  public enum PullMode {
    /**
     * As contextfs clients do: the same {@code since_timestamp} (the time of the reader's previous
     * pull, before the data was pushed) with {@code offset = next_offset} while {@code has_more}.
     */
    OFFSET,
    /** syncnode's own paging: each request sends the {@code cursor} of the previous answer. */
    CURSOR
  }

  public static final String USAGE = String.join("\n",
      "usage: java -jar syncnode.jar bench [options]",
      "  --url URL[,URL...]     server to drive (default http://127.0.0.1:8766); with several (the nodes of",
      "                         a cluster), request slot n goes to the n-th, round robin",
      "  --api-key KEY          sent as X-API-Key",
      "  --scenario NAME        push | conflict | pull | diff | mixed (default push)",
      "  --pull-mode MODE       how pull and mixed page: offset (default; as contextfs clients do, the same",
      "                         since_timestamp, the time of the reader's previous pull, with offset =",
      "                         next_offset while has_more) | cursor (each request sends the previous cursor)",
      "  --page N               limit of each pull (default 1000, the contextfs client's)",
      "  --items N              push: stop after N items pushed (default 100000); pull, diff and mixed push",
      "                         N items first (not measured), then read them --rounds times",
      "  --rounds N             how many times the read scenarios read the items they pushed (default 1)",
      "  --warmup N             before measuring, move N items the way the measured phase does, over the",
      "                         same connections, and leave them out of the report (default 0)",
      "  --batch N              memories per push (default 200)",
      "  --devices N            devices pushing (default 4)",
      "  --concurrency N        requests in flight (default 4)",
      "  --content-bytes N      size of each memory's content (default 300)",
      "  --duration SECONDS     stop after this long, whatever --items says (default 60)",
      "  --out FILE             also write the report as JSON",
      "  -h, --help             print this and exit",
      "  --pg-ceiling           first measure PostgreSQL alone on the same rows (bulk upserts of --batch rows,",
      "                         each row's values sent as arrays as a push sends them, --concurrency in flight;",
      "                         connection from conf/node.json and SYNCNODE_PG_*) and report the push rate",
      "                         as a fraction of it");

  /** The options that take a value. */
  private static final java.util.Set<String> VALUED = java.util.Set.of("--url", "--api-key", "--scenario", "--items",
      "--batch", "--devices", "--concurrency", "--content-bytes", "--duration", "--out", "--rounds", "--warmup",
      "--pull-mode", "--page");

  /** Whether the arguments ask for the usage (checked after {@link #parse} found nothing wrong). */
  public static boolean wantsHelp(String... args) {
    return java.util.Arrays.stream(args).anyMatch(BenchOptions::isHelp);
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /**
   * Parses the arguments after "bench"; throws IllegalArgumentException naming the bad option
   * ({@link UsageException}, "unknown option --x", for an option it does not know).
   */
  public static BenchOptions parse(String... args) {
    String url = "http://127.0.0.1:8766";
    String apiKey = null;
    Scenario scenario = Scenario.PUSH;
    long items = 100_000;
    int batch = 200;
    int devices = 4;
    int concurrency = 4;
    int contentBytes = 300;
    int duration = 60;
    Path out = null;
    boolean pgCeiling = false;
    int rounds = 1;
    long warmup = 0;
    PullMode pullMode = PullMode.OFFSET;
    int page = 1000;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (isHelp(option)) {
        continue;
      }
      if (option.equals("--pg-ceiling")) {
        pgCeiling = true;
        continue;
      }
      if (!VALUED.contains(option)) {
        throw UsageException.unexpected(option);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + ": needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--url" -> url = value;
        case "--api-key" -> apiKey = value;
        case "--scenario" -> scenario = scenario(value);
        case "--items" -> items = number(option, value, 1, Long.MAX_VALUE);
        case "--batch" -> batch = (int) number(option, value, 1, 100_000);
        case "--devices" -> devices = (int) number(option, value, 1, 100_000);
        case "--concurrency" -> concurrency = (int) number(option, value, 1, 10_000);
        case "--content-bytes" -> contentBytes = (int) number(option, value, 1, 64 * 1024 * 1024);
        case "--duration" -> duration = (int) number(option, value, 1, 86_400);
        case "--out" -> out = Path.of(value);
        case "--rounds" -> rounds = (int) number(option, value, 1, 1_000_000);
        case "--warmup" -> warmup = number(option, value, 0, Long.MAX_VALUE);
        case "--pull-mode" -> pullMode = pullMode(value);
        case "--page" -> page = (int) number(option, value, 1, 100_000);
        default -> throw UsageException.unexpected(option);
      }
    }
    List<String> urls = new ArrayList<>();
    for (String one : url.split(",", -1)) {
      if (!one.startsWith("http://") && !one.startsWith("https://")) {
        throw new IllegalArgumentException("--url: must start with http:// or https://, got " + one);
      }
      urls.add(one.endsWith("/") ? one.substring(0, one.length() - 1) : one);
    }
    url = String.join(",", urls);
    return new BenchOptions(url, apiKey, scenario, items, batch, devices, concurrency, contentBytes, duration, out,
        pgCeiling, rounds, warmup, pullMode, page);
  }

  private static PullMode pullMode(String value) {
    try {
      return PullMode.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--pull-mode: must be offset or cursor, got " + value);
    }
  }

  private static Scenario scenario(String value) {
    try {
      return Scenario.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--scenario: must be push, conflict, pull, diff or mixed, got " + value);
    }
  }

  private static long number(String option, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": must be a whole number, got " + value);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(option + ": must be from " + min + " to " + max + ", got " + n);
    }
    return n;
  }
}
