package io.syncnode.http;

import io.syncnode.config.NodeConfig;
import io.syncnode.metrics.NodeMetrics;
import io.syncnode.protocol.json.RequestReader;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP front of a node (one instance per event loop): parses and validates requests, fans
 * each out to the workers over the event bus, merges their answers. It never touches SQL.
 */
public final class HttpVerticle extends VerticleBase {
  /** How long a worker may take to answer before the request is answered 503. */
  private static final long WORKER_TIMEOUT_MS = 60_000;

  private final NodeConfig config;
  private final RequestRateLimiter rateLimiter;
  private final java.util.function.Supplier<String> inCluster;
  private final NodeMetrics metrics;
  private final LiveCounters live;
  private HttpServer server;

  /**
   * {@code rateLimiter} is shared by the node's HTTP verticles (null when auth.rateLimit is 0);
   * {@code inCluster} tells /ready whether the node is in its cluster ("ok", else why not); {@code metrics} are the node's;
   * {@code live} counts the live connections of all of them.
   */
  public HttpVerticle(NodeConfig config, RequestRateLimiter rateLimiter, java.util.function.Supplier<String> inCluster,
      NodeMetrics metrics, LiveCounters live) {
    this.config = config;
    this.rateLimiter = rateLimiter;
    this.inCluster = inCluster;
    this.metrics = metrics;
    this.live = live;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setCompressionSupported(true)
        .setDecompressionSupported(true));
    return ApiDescription.load(vertx).compose(description -> server.requestHandler(router(description)).listen());
  }

  Router router(ApiDescription description) {
    RequestReader reader = new RequestReader(config.limits());
    WorkerClient workers = new WorkerClient(vertx.eventBus(), WORKER_TIMEOUT_MS);
    ErrorResponder errors = new ErrorResponder();
    Router router = Router.router(vertx);
    router.route().handler(new RequestLog());
    router.route().handler(new UnreadBodies());
    if (!config.http().corsOrigins().isEmpty()) {
      router.route().handler(CorsHandler.create()
          .addOrigins(config.http().corsOrigins())
          .allowedMethods(java.util.Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
          .allowedHeaders(java.util.Set.of("Content-Type", "X-API-Key", "Authorization", "X-Request-Id")));
    }
    ApiKeys keys = config.auth().mode() == NodeConfig.AuthMode.API_KEY
        ? new ApiKeys(workers, config.auth().cacheTtlMs()) : null;
    router.get("/ws/memories").handler(new MemorySocketHandler(config, keys, live));
    router.route("/api/*").handler(keys != null
        ? new ApiKeyAuth(keys)
        : ctx -> {
          Tenancy.assign(ctx, Tenancy.DEFAULT_TENANT);
          ctx.next();
        });
    if (rateLimiter != null) {
      router.route("/api/*").handler(ctx -> {
        long waitMs = rateLimiter.take(Tenancy.client(ctx));
        if (waitMs == 0) {
          ctx.next();
          return;
        }
        ctx.response().putHeader("Retry-After", Long.toString((waitMs + 999) / 1000));
        ErrorResponder.send(ctx, new ApiError(429, "rate_limited",
            "too many requests; retry in " + waitMs + " ms", null));
      });
    }
    router.route("/api/*")
        .handler(BodyHandler.create(false).setBodyLimit(config.http().maxBodyBytes()))
        .handler(JsonBodies::requireJson);
    router.post("/api/sync/register").handler(new RegisterHandler(reader, workers));
    router.post("/api/sync/push").handler(new PushHandler(reader, workers, metrics.sync()));
    router.post("/api/sync/pull").handler(new PullHandler(reader, workers, metrics.sync()));
    router.post("/api/sync/status").handler(new StatusHandler(reader, workers));
    router.post("/api/sync/diff").handler(new DiffHandler(reader, workers, metrics.sync()));
    router.post("/api/sync/merkle").handler(new MerkleHandler(reader, workers));
    router.get("/api/sync/events").handler(new EventStreamHandler(live.feed(vertx, workers), config.live(), live));
    router.get("/health").handler(ServiceInfo::health);
    router.get("/openapi.json").handler(description);
    router.get("/ready").handler(new ReadinessHandler(inCluster));
    router.get("/").handler(ServiceInfo::root);
    if (metrics.enabled()) {
      router.get("/metrics").handler(new MetricsHandler(metrics));
    }
    router.route().failureHandler(errors);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, errors);
    }
    return router;
  }

  /** Stops taking connections and lets requests in flight finish, up to http.shutdownTimeoutMs. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(config.http().shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  /** The port the server listens on (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
