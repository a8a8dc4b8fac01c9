package io.syncnode.config;

import io.syncnode.protocol.InputLimits;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The whole configuration of a node, read at start. See conf/node.json for every key and its default,
 * and {@link CurrentConfig} for the keys a running node takes again on SIGHUP.
 */
public record NodeConfig(
    HttpConfig http, PgConfig pg, WorkerConfig workers, InputLimits limits, ClusterConfig cluster, LocksConfig locks,
    AuthConfig auth, LogConfig log, MetricsConfig metrics, LiveConfig live, FeedConfig feed) {

  /**
   * {@code maxBodyBytes} bounds a request body after decoding; {@code decompression} lets clients
   * send gzip-encoded bodies; {@code maxInFlightBodyBytes} bounds the bytes of bodies the node holds
   * in memory at once (0 in the configuration: an eighth of the heap); {@code maxSpooledBodyBytes}
   * bounds the bytes of push bodies it holds in temporary files at once (0: four times maxBodyBytes).
   */
  public record HttpConfig(
      String host, int port, long maxBodyBytes, int instances, long shutdownTimeoutMs, List<String> corsOrigins,
      boolean decompression, long maxInFlightBodyBytes, long maxSpooledBodyBytes, ConnectionLimits connections,
      boolean http2, TlsConfig tls) {}

  /**
   * What a client's connection may cost a node: how long it may take to send a request head (on a new
   * connection, and between requests on a kept-alive one), how long a request body may pause and how
   * slowly it may arrive, and how many connections the node holds at once.
   */
  public record ConnectionLimits(
      long headerTimeoutMs, long keepAliveTimeoutMs, long bodyIdleTimeoutMs, int minBodyBytesPerSecond,
      int maxConnections) {}

  /** HTTPS: the PEM certificate chain and private key, or both empty for plain HTTP. */
  public record TlsConfig(String certPath, String keyPath) {
    public boolean enabled() {
      return !certPath.isEmpty();
    }
  }

  /**
   * PostgreSQL. {@code hosts} are the candidates for the primary, in order ({@code pg.hosts}, or
   * {@code host:port} alone when that list is empty): the node writes to the one that is not in
   * recovery, and looks for it again when it fails or turns read-only. {@code replicas} are hot
   * standbys that serve reads while they lag less than {@code maxReplicaLagMs}. {@code
   * pullPoolSize}: the connections to each server that serve pull pages, besides the pool's.
   */
  public record PgConfig(
      String host, int port, String database, String user, String password, int poolSize,
      boolean createDatabase, int connectTimeoutMs, List<PgAddress> hosts, List<PgAddress> replicas,
      long maxReplicaLagMs, int pullPoolSize) {

    /** One server, {@code host:port}, with no replicas. */
    public PgConfig(String host, int port, String database, String user, String password, int poolSize,
        boolean createDatabase, int connectTimeoutMs) {
      this(host, port, database, user, password, poolSize, createDatabase, connectTimeoutMs,
          List.of(new PgAddress(host, port)), List.of(), 1000, 8);
    }

    /** Where the node looks for the primary first. */
    public PgAddress firstHost() {
      return hosts.get(0);
    }
  }

  /** A PostgreSQL server's address. */
  public record PgAddress(String host, int port) {
    static PgAddress parse(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      return new PgAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  public record WorkerConfig(int instances) {}

  /** Hazelcast membership: TCP-IP join only, bound to {@code host}. */
  public record ClusterConfig(
      boolean enabled, String name, String host, int port, List<String> members, long joinTimeoutMs,
      int heartbeatTimeoutSeconds, int eventBusPort, int minMembers) {}

  /** How conflict resolution of a batch is serialized. PostgreSQL guards every write in every mode. */
  public record LocksConfig(LockMode mode, int stripes, long leaseMs, long timeoutMs) {}

  /** Who may call the API: anyone (one default tenant), or holders of an API key (the key's tenant). */
  public record AuthConfig(
      AuthMode mode, boolean allowUnauthenticated, long cacheTtlMs, int rateLimit, int rateBurst, int failureRate,
      int failureBurst) {}

  public enum AuthMode { NONE, API_KEY }

  /**
   * How log lines are written (the pattern of logback.xml, or one JSON object per line), and the
   * level of the root logger ({@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR}, {@code OFF}).
   */
  public record LogConfig(LogFormat format, String level) {}

  public enum LogFormat { TEXT, JSON }

  /** Whether the node keeps metrics and serves them on GET /metrics. */
  public record MetricsConfig(boolean enabled) {}

  /**
   * Live updates (WebSocket and server-sent events): how often a quiet connection hears from the
   * node, how many bytes a connection may have waiting to be sent, and how long an event stream
   * may keep them waiting before it is dropped, and how many a tenant may hold open on one node.
   */
  public record LiveConfig(long pingIntervalMs, int maxQueuedBytes, long drainTimeoutMs, int maxConnectionsPerTenant) {}

  /**
   * The change feed: a writer of the synced tables that holds the feed back longer than
   * {@code lagWarnMs} is named in a WARN.
   */
  public record FeedConfig(long lagWarnMs) {}

  public enum LockMode {
    /** Hazelcast-held stripes, shared by every node of the cluster. */
    CLUSTER,
    /** Stripes held in this node's memory. */
    LOCAL,
    /** No lock: PostgreSQL's row locks alone serialize writers. */
    NONE
  }

  /** Builds the typed configuration from merged JSON, checking every value. */
  public static NodeConfig from(JsonObject json) {
    Values v = new Values(json);
    int eventLoops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    HttpConfig http = new HttpConfig(
        v.string("http.host"),
        v.integer("http.port", 0, 65535),
        v.longValue("http.maxBodyBytes", 1024, 1L << 40),
        orDefault(v.integer("http.instances", 0, 1024), eventLoops),
        v.longValue("http.shutdownTimeoutMs", 0, 3_600_000),
        v.strings("http.cors.allowedOrigins"),
        v.bool("http.decompression"),
        orHeapShare(v.longValue("http.maxInFlightBodyBytes", 0, 1L << 40), 8),
        orMultipleOf(v.longValue("http.maxSpooledBodyBytes", 0, 1L << 50), 4, v.longValue("http.maxBodyBytes", 1024,
            1L << 40)),
        new ConnectionLimits(
            v.longValue("http.headerTimeoutMs", 100, 3_600_000),
            v.longValue("http.keepAliveTimeoutMs", 100, 3_600_000),
            v.longValue("http.bodyIdleTimeoutMs", 100, 3_600_000),
            v.integer("http.minBodyBytesPerSecond", 0, 1 << 30),
            v.integer("http.maxConnections", 1, 10_000_000)),
        v.bool("http.http2"),
        new TlsConfig(v.stringAllowEmpty("http.tls.certPath").trim(), v.stringAllowEmpty("http.tls.keyPath").trim()));
    if (http.tls().certPath().isEmpty() != http.tls().keyPath().isEmpty()) {
      throw new ConfigException((http.tls().certPath().isEmpty() ? "http.tls.certPath" : "http.tls.keyPath")
          + ": HTTPS needs both http.tls.certPath and http.tls.keyPath");
    }
    for (String path : new String[] {"http.tls.certPath", "http.tls.keyPath"}) {
      String file = path.endsWith("certPath") ? http.tls().certPath() : http.tls().keyPath();
      if (!file.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
        throw new ConfigException(path + ": cannot read " + ConfigValues.quote(file));
      }
    }
    List<PgAddress> hosts = v.members("pg.hosts").stream().map(PgAddress::parse).toList();
    PgConfig pg = new PgConfig(
        v.string("pg.host"),
        v.integer("pg.port", 1, 65535),
        v.string("pg.database"),
        v.string("pg.user"),
        v.stringAllowEmpty("pg.password"),
        v.integer("pg.poolSize", 1, 1000),
        v.bool("pg.createDatabase"),
        v.integer("pg.connectTimeoutMs", 100, 600_000),
        hosts.isEmpty() ? List.of(new PgAddress(v.string("pg.host"), v.integer("pg.port", 1, 65535))) : hosts,
        v.members("pg.replicas").stream().map(PgAddress::parse).toList(),
        v.longValue("pg.maxReplicaLagMs", 0, 86_400_000),
        v.integer("pg.pullPoolSize", 1, 1000));
    WorkerConfig workers = new WorkerConfig(orDefault(v.integer("workers.instances", 0, 1024), eventLoops));
    InputLimits limits = new InputLimits(
        v.integer("limits.idBytes", 16, 1024),
        v.integer("limits.contentChars", 1, 64 * 1024 * 1024),
        v.integer("limits.textChars", 1, 64 * 1024 * 1024),
        v.integer("limits.clockEntries", 1, 1_000_000),
        v.integer("limits.embeddingLength", 1, 1_000_000),
        v.integer("limits.metadataDepth", 1, 64),
        v.integer("limits.metadataChars", 2, 64 * 1024 * 1024),
        v.integer("limits.itemsPerPush", 1, 1_000_000),
        v.integer("limits.manifestEntries", 1, 100_000_000),
        v.integer("limits.maxPullLimit", 1, 10_000));
    ClusterConfig cluster = new ClusterConfig(
        v.bool("cluster.enabled"),
        v.string("cluster.name"),
        v.string("cluster.host"),
        v.integer("cluster.port", 1, 65535),
        v.members("cluster.members"),
        v.longValue("cluster.joinTimeoutMs", 1000, 3_600_000),
        v.integer("cluster.heartbeatTimeoutSeconds", 1, 3600),
        v.integer("cluster.eventBusPort", 0, 65535),
        v.integer("cluster.minMembers", 0, 1000));
    String mode = v.string("locks.mode").toLowerCase(java.util.Locale.ROOT);
    LockMode lockMode = switch (mode) {
      case "auto" -> cluster.enabled() ? LockMode.CLUSTER : LockMode.LOCAL;
      case "cluster" -> LockMode.CLUSTER;
      case "local" -> LockMode.LOCAL;
      case "none" -> LockMode.NONE;
      default -> throw new ConfigException("locks.mode: must be auto, cluster, local or none, got "
          + ConfigValues.quote(v.string("locks.mode")));
    };
    if (lockMode == LockMode.CLUSTER && !cluster.enabled()) {
      throw new ConfigException("locks.mode: \"cluster\" needs cluster.enabled=true");
    }
    LocksConfig locks = new LocksConfig(
        lockMode,
        v.integer("locks.stripes", 1, 1 << 30),
        v.longValue("locks.leaseMs", 100, 3_600_000),
        v.longValue("locks.timeoutMs", 0, 3_600_000));
    String authMode = v.string("auth.mode").toLowerCase(java.util.Locale.ROOT);
    AuthConfig auth = new AuthConfig(
        switch (authMode) {
          case "none" -> AuthMode.NONE;
          case "api-key" -> AuthMode.API_KEY;
          default -> throw new ConfigException("auth.mode: must be none or api-key, got "
          + ConfigValues.quote(v.string("auth.mode")));
        },
        v.bool("auth.allowUnauthenticated"),
        v.longValue("auth.cacheTtlMs", 0, 3_600_000),
        v.integer("auth.rateLimit", 0, 1_000_000),
        v.integer("auth.rateBurst", 0, 10_000_000),
        v.integer("auth.failureRate", 0, 1_000_000),
        v.integer("auth.failureBurst", 0, 10_000_000));
    if (auth.mode() == AuthMode.NONE && !isLoopback(http.host()) && !auth.allowUnauthenticated()) {
      throw new ConfigException("auth.mode: \"none\" would let anyone who reaches " + http.host()
          + " read and overwrite everything; set auth.mode=api-key, or auth.allowUnauthenticated=true to accept that");
    }
    String logFormat = v.string("log.format").toLowerCase(java.util.Locale.ROOT);
    String logLevel = v.string("log.level").trim().toUpperCase(java.util.Locale.ROOT);
    if (!ConfigLoader.isLogLevel(logLevel)) {
      throw new ConfigException("log.level: must be one of " + String.join(", ", ConfigLoader.LOG_LEVELS) + ", got "
          + ConfigValues.quote(v.string("log.level")));
    }
    LogConfig log = new LogConfig(switch (logFormat) {
      case "text" -> LogFormat.TEXT;
      case "json" -> LogFormat.JSON;
      default -> throw new ConfigException("log.format: must be text or json, got "
          + ConfigValues.quote(v.string("log.format")));
    }, logLevel);
    MetricsConfig metrics = new MetricsConfig(v.bool("metrics.enabled"));
    LiveConfig live = new LiveConfig(
        v.longValue("live.pingIntervalMs", 100, 3_600_000),
        v.integer("live.maxQueuedBytes", 1024, 1 << 30),
        v.longValue("live.drainTimeoutMs", 100, 3_600_000),
        v.integer("live.maxConnectionsPerTenant", 1, 10_000_000));
    FeedConfig feed = new FeedConfig(v.longValue("feed.lagWarnMs", 100, 86_400_000));
    return new NodeConfig(http, pg, workers, limits, cluster, locks, auth, log, metrics, live, feed);
  }

  /** Whether a listen address is reachable from this machine only. */
  public static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.startsWith("127.");
  }

  /** {@code value}, or when it is 0 the {@code 1/divisor} share of the largest heap this JVM may use. */
  private static long orMultipleOf(long value, int factor, long of) {
    return value > 0 ? value : factor * of;
  }

  private static long orHeapShare(long value, int divisor) {
    return value != 0 ? value : Runtime.getRuntime().maxMemory() / divisor;
  }

  private static int orDefault(int value, int fallback) {
    return value == 0 ? fallback : value;
  }

  /** Typed reads by dotted path, each failing with a message that names the key. */
  private record Values(JsonObject root) {
    Object raw(String path) {
      String[] parts = path.split("\\.");
      JsonObject node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        node = node.getJsonObject(parts[i]);
      }
      return node.getValue(parts[parts.length - 1]);
    }

    String string(String path) {
      String value = stringAllowEmpty(path);
      if (value.isBlank()) {
        throw new ConfigException(path + ": must not be empty");
      }
      return value;
    }

    String stringAllowEmpty(String path) {
      Object value = raw(path);
      if (!(value instanceof String s)) {
        throw new ConfigException(path + ": must be a string, got " + ConfigValues.quote(value));
      }
      return s;
    }

    long longValue(String path, long min, long max) {
      Object value = raw(path);
      if (!(value instanceof Number n) || n.doubleValue() != n.longValue()) {
        throw new ConfigException(path + ": must be an integer, got " + ConfigValues.quote(value));
      }
      long l = n.longValue();
      if (l < min || l > max) {
        throw new ConfigException(path + ": must be from " + min + " to " + max + ", got " + l);
      }
      return l;
    }

    int integer(String path, int min, int max) {
      return (int) longValue(path, min, max);
    }

    List<String> strings(String path) {
      Object value = raw(path);
      if (!(value instanceof io.vertx.core.json.JsonArray array)) {
        throw new ConfigException(path + ": must be a list of strings, got " + ConfigValues.quote(value));
      }
      List<String> strings = new java.util.ArrayList<>();
      for (Object item : array) {
        if (!(item instanceof String s) || s.isBlank()) {
          throw new ConfigException(path + ": must be a list of strings, got " + ConfigValues.quote(item));
        }
        strings.add(s.trim());
      }
      return List.copyOf(strings);
    }

    /** A list of host:port strings. */
    List<String> members(String path) {
      Object value = raw(path);
      if (!(value instanceof io.vertx.core.json.JsonArray array)) {
        throw new ConfigException(path + ": must be a list of host:port, got " + ConfigValues.quote(value));
      }
      List<String> members = new java.util.ArrayList<>();
      for (Object member : array) {
        String text = String.valueOf(member).trim();
        int colon = text.lastIndexOf(':');
        boolean valid = colon > 0;
        if (valid) {
          try {
            int port = Integer.parseInt(text.substring(colon + 1));
            valid = port > 0 && port <= 65535;
          } catch (NumberFormatException e) {
            valid = false;
          }
        }
        if (!valid) {
          throw new ConfigException(path + ": " + ConfigValues.quote(text) + " is not host:port");
        }
        members.add(text);
      }
      return List.copyOf(members);
    }

    boolean bool(String path) {
      Object value = raw(path);
      if (!(value instanceof Boolean b)) {
        throw new ConfigException(path + ": must be true or false, got " + ConfigValues.quote(value));
      }
      return b;
    }
  }
}
