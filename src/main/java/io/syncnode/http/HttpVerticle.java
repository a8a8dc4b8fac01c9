package io.syncnode.http;

import io.syncnode.auth.ApiKeyAuth;
import io.syncnode.auth.ApiKeys;
import io.syncnode.auth.EncryptionSaltHandler;
import io.syncnode.auth.RequestRateLimiter;
import io.syncnode.config.CurrentConfig;
import io.syncnode.config.NodeConfig;
import io.syncnode.http.common.ApiError;
import io.syncnode.http.common.ErrorResponder;
import io.syncnode.http.common.Tenancy;
import io.syncnode.http.live.EventStreamHandler;
import io.syncnode.http.live.LiveCounters;
import io.syncnode.http.live.MemorySocketHandler;
import io.syncnode.metrics.NodeMetrics;
import io.syncnode.protocol.json.RequestReader;
import io.syncnode.worker.api.DeviceApi;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP front of a node (one instance per event loop): parses and validates requests, fans
 * each out to the workers over the event bus, merges their answers. It never touches SQL.
 */
public final class HttpVerticle extends VerticleBase {
  /** How long a worker may take to answer before the request is answered 503. */
  private static final long WORKER_TIMEOUT_MS = 60_000;

  private final CurrentConfig current;
  private final NodeConfig config;
  private final RequestRateLimiter rateLimiter;
  private final java.util.function.Supplier<String> inCluster;
  private final NodeMetrics metrics;
  private final LiveCounters live;
  private final HttpGuards guards;
  private HttpGuards active;
  private HttpServer server;

  /**
   * {@code current} is the node's configuration: what a reload may change is read from it as it is
   * used, the rest once here. {@code rateLimiter} is shared by the node's HTTP verticles;
   * {@code inCluster} tells /ready whether the node is in its cluster ("ok", else why not); {@code metrics} are the node's;
   * {@code live} counts the live connections of all of them; {@code guards} are what they share
   * against hostile clients (null: this verticle's own).
   */
  public HttpVerticle(CurrentConfig current, RequestRateLimiter rateLimiter,
      java.util.function.Supplier<String> inCluster, NodeMetrics metrics, LiveCounters live, HttpGuards guards) {
    this.current = current;
    this.config = current.get();
    this.rateLimiter = rateLimiter;
    this.inCluster = inCluster;
    this.metrics = metrics;
    this.live = live;
    this.guards = guards;
  }

  @Override
  public Future<?> start() {
    HttpGuards shared = guards != null ? guards : HttpGuards.create(vertx, current);
    active = shared;
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setCompressionSupported(true)
        // request bodies are inflated by BodyReceiver/DecodedBody, counted as they are
        .setDecompressionSupported(false)
        .setHttp2ClearTextEnabled(config.http().http2());
    if (shared.tls() != null) {
      options.setSsl(true).setKeyCertOptions(shared.tls().keyCert()).setUseAlpn(config.http().http2());
    }
    server = vertx.createHttpServer(options);
    server.connectionHandler(shared.connections()::accept);
    return ApiDescription.load(vertx)
        .compose(description -> server.requestHandler(router(description, shared)).listen())
        .onSuccess(listening -> {
          if (shared.tls() != null) {
            shared.tls().serve(server);
          }
        });
  }

  Router router(ApiDescription description) {
    return router(description, HttpGuards.create(vertx, current));
  }

  Router router(ApiDescription description, HttpGuards guards) {
    RequestReader reader = new RequestReader(() -> current.get().limits());
    Workers workers = new Workers(vertx.eventBus(), WORKER_TIMEOUT_MS);
    DeviceApi probes = workers.within(ReadinessHandler.CHECK_TIMEOUT_MS).devices();
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
    ApiKeys keys = config.auth().mode() == NodeConfig.AuthMode.API_KEY ? new ApiKeys(workers, guards.keys()) : null;
    router.get("/ws/memories").handler(new MemorySocketHandler(() -> current.get().live(), keys, guards.failures(),
        live));
    router.route("/api/*").handler(keys != null
        ? new ApiKeyAuth(keys, guards.failures())
        : ctx -> {
          Tenancy.assign(ctx, Tenancy.DEFAULT_TENANT);
          ctx.next();
        });
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
    router.route("/api/*").handler(JsonBodies::requireJson);
    BodyReceiver bodies = new BodyReceiver(vertx, config.http(), guards.bodies(), guards.spooled());
    router.post("/api/sync/register").handler(bodies.inMemory())
        .handler(JsonBodies.parsing(vertx, reader::register)).handler(new RegisterHandler(workers));
    router.post("/api/sync/push").handler(bodies.spooling())
        .handler(new PushHandler(vertx, reader, () -> current.get().limits(), workers, metrics.sync()));
    router.post("/api/sync/pull").handler(bodies.inMemory())
        .handler(JsonBodies.parsing(vertx, reader::pull)).handler(new PullHandler(workers, metrics.sync()));
    router.post("/api/sync/status").handler(bodies.inMemory())
        .handler(JsonBodies.parsing(vertx, reader::status)).handler(new StatusHandler(workers));
    router.post("/api/sync/diff").handler(bodies.inMemory())
        .handler(JsonBodies.parsing(vertx, reader::diff)).handler(new DiffHandler(workers, metrics.sync()));
    router.post("/api/sync/merkle").handler(bodies.inMemory())
        .handler(JsonBodies.parsing(vertx, reader::merkle)).handler(new MerkleHandler(workers));
    router.get("/api/sync/events").handler(new EventStreamHandler(live.feed(vertx, workers), () -> current.get().live(), live,
        keys));
    router.get("/api/auth/encryption-salt").handler(new EncryptionSaltHandler(workers));
    router.get("/health").handler(ServiceInfo::health);
    router.get("/openapi.json").handler(description);
    router.get("/ready").handler(new ReadinessHandler(probes, inCluster));
    router.get("/").handler(ServiceInfo::root);
    if (metrics.enabled()) {
      router.get("/metrics").handler(new MetricsHandler(metrics, probes, inCluster));
    }
    router.route().failureHandler(errors);
    for (int status : new int[] {400, 404, 413, 415, 500, 503}) {
      router.errorHandler(status, errors);
    }
    AllowedMethods allowed = AllowedMethods.of(router);
    router.errorHandler(405, ctx -> {
      String allow = allowed.allow(ctx.request().path());
      if (allow != null && !ctx.response().headWritten()) {
        ctx.response().putHeader("Allow", allow);
      }
      errors.handle(ctx);
    });
    return router;
  }

  /** Stops taking connections and lets requests in flight finish, up to http.shutdownTimeoutMs. */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    if (active.tls() != null) {
      active.tls().stopServing(server);
    }
    return server.shutdown(config.http().shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
  }
}
