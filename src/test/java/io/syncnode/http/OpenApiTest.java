package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.auth.RequestRateLimiter;
import io.syncnode.http.live.LiveCounters;
import io.syncnode.support.ApiKeys;
import io.syncnode.support.Entities;
import io.syncnode.support.OpenApiDocument;
import io.syncnode.support.PomVersion;
import io.syncnode.support.ProtocolExamples;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /openapi.json is a valid OpenAPI document, and it is true: real answers of every endpoint,
 * successes and errors, match it, every route of the node is documented, and every documented
 * operation is exercised here (except those listed in {@link #NOT_VALIDATED_YET}).
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiTest {
  /**
   * Documented operations that this test does not exercise yet, because they are not served in
   * this code base yet. Once one is served, check its answers below and remove it from here.
   */
  private static final Set<String> NOT_VALIDATED_YET = Set.of();

  /** The examples' device. */
  private static final String DEVICE = "laptop-0a1b2c3d4e5f";
  private static final int MAX_BODY_BYTES = 65_536;

  private static Vertx vertx;
  private static Vertx limitedVertx;
  private static TestDatabase db;
  /** auth.mode api-key. */
  private static TestNode node;
  /** auth.mode none, one request per second. */
  private static TestNode limited;
  private static String key;
  private static OpenApiDocument api;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(OpenApiTest.class);
    key = ApiKeys.create(db, "openapi");
    vertx = Vertx.vertx();
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_AUTH_MODE", "api-key",
        "SYNCNODE_HTTP_MAXBODYBYTES", Integer.toString(MAX_BODY_BYTES)));
    limitedVertx = Vertx.vertx();
    limited = TestNode.startAndWait(limitedVertx, db, Map.of("SYNCNODE_AUTH_RATELIMIT", "1",
        "SYNCNODE_AUTH_RATEBURST", "1"));
    api = await(node.client.get("/openapi.json").send()
        .compose(response -> OpenApiDocument.of(vertx, response.bodyAsJsonObject())));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      TestNode.stopAndClose(limited, limitedVertx);
    } finally {
      TestNode.stopAndDrop(node, vertx, db);
    }
  }

  @Test
  @Order(1)
  void theDocumentIsServedAsWrittenWithoutAKey(VertxTestContext test) {
    exchange(node, HttpMethod.GET, "/openapi.json", MultiMap.caseInsensitiveMultiMap(), null)
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
          // as written, with the build's version as info.version
          assertThat(response.bodyAsString()).isEqualTo(resource("openapi.json")
              .replaceFirst("\"version\": \"[^\"]*\"", "\"version\": \"" + PomVersion.read() + "\""));
          assertThat(response.bodyAsJsonObject().getString("openapi")).isEqualTo("3.1.0");
          test.completeNow();
        })));
  }

  @Test
  @Order(2)
  void serviceEndpoints(VertxTestContext test) {
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    exchange(node, HttpMethod.GET, "/health", none, null)
        .compose(health -> exchange(node, HttpMethod.GET, "/ready", none, null).map(ready -> {
          assertThat(health.statusCode()).isEqualTo(200);
          assertThat(ready.statusCode()).isEqualTo(200);
          return ready;
        }))
        .compose(ready -> exchange(node, HttpMethod.GET, "/metrics", none, null))
        .compose(metrics -> {
          assertThat(metrics.statusCode()).isEqualTo(200);
          assertThat(metrics.getHeader("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
          assertThat(metrics.bodyAsString()).contains("syncnode_verdicts_total");
          return exchange(node, HttpMethod.GET, "/", none, null);
        })
        .onComplete(test.succeeding(root -> test.verify(() -> {
          assertThat(root.statusCode()).isEqualTo(200);
          Set<String> listed = root.bodyAsJsonObject().getJsonArray("endpoints").stream()
              .map(JsonObject.class::cast)
              .map(e -> OpenApiDocument.key(e.getString("method"), e.getString("path")))
              .collect(Collectors.toSet());
          assertThat(api.operations()).as("the endpoints / lists are documented").containsAll(listed);
          test.completeNow();
        })));
  }

  @Test
  @Order(3)
  void register(VertxTestContext test) {
    MultiMap bearer = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
        .add("Authorization", "Bearer " + key).add("X-Request-Id", "openapi-register-1");
    post("/api/sync/register", example("register"))
        .compose(first -> exchange(node, HttpMethod.POST, "/api/sync/register", bearer, example("register")))
        .onComplete(test.succeeding(again -> test.verify(() -> {
          assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
          assertThat(again.getHeader("X-Request-Id")).isEqualTo("openapi-register-1");
          test.completeNow();
        })));
  }

  @Test
  @Order(4)
  void push(VertxTestContext test) {
    // Against what the example stored: a concurrent memory and edge (conflicts), a stale session
    // (rejected), and a new tombstone with the optional memory fields.
    JsonObject tombstone = new JsonObject().put("id", "mem-tomb").put("content", "gone")
        .put("vector_clock", clock("desktop-99", 1)).put("deleted_at", "2025-12-03T00:00:00Z")
        .put("encrypted", true).put("visibility", "private").putNull("embedding");
    JsonObject conflicting = Entities.push("desktop-99",
        new JsonArray().add(Entities.memory("mem-7f3a", "Use pipelining, within limits", clock("desktop-99", 2)))
            .add(tombstone),
        new JsonArray().add(Entities.session("sess-1", "stale", new JsonObject())),
        new JsonArray().add(Entities.edge("mem-7f3a", "mem-0001", "relates_to", clock("desktop-99", 1))));
    post("/api/sync/push", example("push"))
        .compose(first -> {
          assertThat(ok(first).getString("status")).isEqualTo("success");
          return post("/api/sync/push", conflicting.encode());
        })
        .onComplete(test.succeeding(second -> test.verify(() -> {
          JsonObject body = ok(second);
          assertThat(body.getString("status")).isEqualTo("conflict");
          assertThat(body.getJsonArray("conflicts")).hasSize(2);
          assertThat(body.getInteger("rejected_sessions")).isEqualTo(1);
          assertThat(body.getJsonArray("pushed_items")).hasSize(1);
          test.completeNow();
        })));
  }

  @Test
  @Order(5)
  void pull(VertxTestContext test) {
    post("/api/sync/pull", example("pull"))
        .compose(all -> {
          JsonObject body = ok(all);
          assertThat(body.getJsonArray("memories")).hasSize(2);
          assertThat(body.getJsonArray("sessions")).hasSize(1);
          assertThat(body.getJsonArray("edges")).hasSize(1);
          return post("/api/sync/pull", Entities.pull(DEVICE, null, 1, 0).encode());
        })
        .compose(page -> {
          JsonObject body = ok(page);
          assertThat(body.getBoolean("has_more")).isTrue();
          return post("/api/sync/pull", new JsonObject().put("device_id", DEVICE)
              .put("cursor", body.getString("cursor")).encode());
        })
        .onComplete(test.succeeding(rest -> test.verify(() -> {
          assertThat(ok(rest).getBoolean("has_more")).isFalse();
          test.completeNow();
        })));
  }

  @Test
  @Order(6)
  void status(VertxTestContext test) {
    post("/api/sync/status", example("status"))
        .compose(known -> {
          assertThat(ok(known).getString("last_sync_at")).isNotNull();
          return post("/api/sync/status", new JsonObject().put("device_id", "never-registered").encode());
        })
        .onComplete(test.succeeding(unknown -> test.verify(() -> {
          assertThat(unknown.statusCode()).isEqualTo(404);
          assertThat(unknown.bodyAsJsonObject().getString("field")).isEqualTo("device_id");
          test.completeNow();
        })));
  }

  @Test
  @Order(7)
  void diff(VertxTestContext test) {
    JsonObject manifest = new JsonObject().put("device_id", DEVICE)
        .put("memories", new JsonArray()
            .add(new JsonObject().put("id", "mem-7f3a").put("content_hash", "0000000000000000"))
            .add(new JsonObject().put("id", "mem-tomb"))
            .add(new JsonObject().put("id", "mem-client-only").put("content_hash", "aaaaaaaaaaaaaaaa")))
        .put("sessions", new JsonArray())
        .put("edges", new JsonArray().add(new JsonObject().put("id", "a:b:relates_to")));
    post("/api/sync/diff", example("diff"))
        .compose(first -> {
          ok(first);
          return post("/api/sync/diff", manifest.encode());
        })
        .onComplete(test.succeeding(second -> test.verify(() -> {
          JsonObject body = ok(second);
          assertThat(body.getJsonArray("missing_memories")).isNotEmpty();
          assertThat(body.getJsonArray("missing_sessions")).isNotEmpty();
          assertThat(body.getJsonArray("missing_edges")).isNotEmpty();
          assertThat(body.getJsonArray("deleted_memory_ids")).containsExactly("mem-tomb");
          assertThat(body.getJsonArray("server_missing_memory_ids")).containsExactly("mem-client-only");
          assertThat(body.getJsonArray("server_missing_edge_ids")).containsExactly("a:b:relates_to");
          test.completeNow();
        })));
  }

  @Test
  @Order(8)
  void merkle(VertxTestContext test) {
    JsonArray everyBucket = new JsonArray(IntStream.range(0, 256).boxed().collect(Collectors.toList()));
    post("/api/sync/merkle", new JsonObject().put("device_id", DEVICE).encode())
        .compose(summary -> {
          assertThat(ok(summary).containsKey("entries")).isFalse();
          return post("/api/sync/merkle", new JsonObject().put("device_id", DEVICE).put("buckets", everyBucket).encode());
        })
        .onComplete(test.succeeding(entries -> test.verify(() -> {
          assertThat(ok(entries).getJsonObject("entries").getJsonArray("memories")).hasSize(2);
          test.completeNow();
        })));
  }

  @Test
  @Order(8)
  void encryptionSalt(VertxTestContext test) {
    String e2eeKey = ApiKeys.create(db, "openapi-e2ee", true);
    MultiMap withE2eeKey = MultiMap.caseInsensitiveMultiMap().add("X-API-Key", e2eeKey);
    exchange(node, HttpMethod.GET, "/api/auth/encryption-salt", withKey(), null)
        .compose(none -> {
          assertThat(none.statusCode()).isEqualTo(404);
          return exchange(node, HttpMethod.GET, "/api/auth/encryption-salt", withE2eeKey, null);
        })
        .compose(found -> {
          assertThat(ok(found).getString("salt")).isNotBlank();
          return exchange(node, HttpMethod.GET, "/api/auth/encryption-salt", MultiMap.caseInsensitiveMultiMap(), null);
        })
        .onComplete(test.succeeding(unauthorized -> test.verify(() -> {
          assertThat(unauthorized.statusCode()).isEqualTo(401);
          test.completeNow();
        })));
  }

  @Test
  @Order(9)
  void badRequests(VertxTestContext test) {
    MultiMap noKey = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    MultiMap badBearer = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
        .add("Authorization", "Bearer snk_0000000000000000_" + "A".repeat(43));
    MultiMap text = withKey().set("Content-Type", "text/plain");
    String tooLarge = "{\"device_id\": \"" + "x".repeat(MAX_BODY_BYTES) + "\"}";
    post("/api/sync/push", "{\"device_id\": \"" + DEVICE + "\", \"memories\": [")
        .compose(r -> status(r, 400, null))
        .compose(v -> post("/api/sync/register", new JsonObject().put("device_id", DEVICE).put("platform", "linux")
            .put("client_version", "1").encode()))
        .compose(r -> status(r, 422, "device_name"))
        .compose(v -> post("/api/sync/merkle", new JsonObject().put("device_id", DEVICE)
            .put("buckets", new JsonArray().add(256)).encode()))
        .compose(r -> status(r, 422, "buckets[0]"))
        .compose(v -> post("/api/sync/push", new JsonObject().put("device_id", DEVICE)
            .put("memories", new JsonArray().add(new JsonObject().put("id", "m").put("content", "c")
                .put("vector_clock", new JsonObject().put("laptop", "one")))).encode()))
        .compose(r -> status(r, 422, "memories[0].vector_clock.laptop"))
        .compose(v -> post("/api/sync/pull", new JsonObject().put("device_id", DEVICE).put("cursor", "nope").encode()))
        .compose(r -> status(r, 422, "cursor"))
        .compose(v -> exchange(node, HttpMethod.POST, "/api/sync/pull", text, example("pull")))
        .compose(r -> status(r, 415, null))
        .compose(v -> exchange(node, HttpMethod.POST, "/api/sync/status", noKey, example("status")))
        .compose(r -> status(r, 401, null))
        .compose(v -> exchange(node, HttpMethod.POST, "/api/sync/diff", badBearer, example("diff")))
        .compose(r -> status(r, 401, null))
        .compose(v -> exchange(node, HttpMethod.POST, "/api/sync/diff", withKey(), tooLarge))
        .compose(r -> status(r, 413, null))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  @Order(10)
  void unknownPathsAndMethodsAreAnsweredWithTheErrorBody(VertxTestContext test) {
    unrouted(HttpMethod.GET, "/no/such/path", 404, "not_found")
        .compose(v -> unrouted(HttpMethod.GET, "/api/sync/push", 405, "method_not_allowed"))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  @Order(11)
  void overTheRateLimit(VertxTestContext test) {
    // Each answer is checked; the bucket of one token refills once a second, so a few requests
    // in a row meet an empty one.
    rateLimited(0).onComplete(test.succeeding(response -> test.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(429);
      assertThat(response.getHeader("Retry-After")).matches("[0-9]+");
      test.completeNow();
    })));
  }

  @Test
  @Order(12)
  void theChecksRefuseWhatDoesNotMatch(VertxTestContext test) {
    JsonObject retyped = api.json();
    retyped.getJsonObject("components").getJsonObject("schemas").getJsonObject("DeviceInfo")
        .getJsonObject("properties").getJsonObject("platform").put("type", "integer");
    JsonObject broken = api.json();
    broken.getJsonObject("paths").getJsonObject("/health").getJsonObject("get").put("responses", "none");
    post("/api/sync/register", example("register")).compose(real -> {
      JsonObject withoutPlatform = ok(real).copy();
      withoutPlatform.remove("platform");
      return refused(api.check("POST", "/api/sync/register", 200, real.headers(), withoutPlatform.toBuffer()),
          "required property \"platform\"")
          .compose(v -> refused(OpenApiDocument.of(vertx, retyped)
              .compose(other -> other.check("POST", "/api/sync/register", real)), "#/platform"))
          .compose(v -> refused(api.checkRequest("POST", "/api/sync/register",
              new JsonObject(example("register")).put("platform", 3).toBuffer()), "#/platform"))
          .compose(v -> refused(OpenApiDocument.of(vertx, broken), "not a valid OpenAPI document"));
    }).onComplete(test.succeedingThenComplete());
  }

  @Test
  @Order(13)
  void liveEndpoints(VertxTestContext test) {
    MultiMap withKey = MultiMap.caseInsensitiveMultiMap().add("X-API-Key", key);
    HttpClient http = vertx.createHttpClient();
    Future<Void> stream = http.request(HttpMethod.GET, node.port, "127.0.0.1", "/api/sync/events")
        .compose(request -> request.putHeader("X-API-Key", key).send())
        .compose(response -> {
          // the stream never ends: its status and headers are checked, then it is cut
          Future<Void> checked = api.check("GET", "/api/sync/events", response.statusCode(), response.headers(), null);
          response.request().reset();
          return checked;
        });
    Future<Void> refusedResume = stream.compose(v -> exchange(node, HttpMethod.GET, "/api/sync/events",
            MultiMap.caseInsensitiveMultiMap().addAll(withKey).add("Last-Event-ID", "not-a-cursor"), null))
        .map(response -> {
          assertThat(response.statusCode()).isEqualTo(422);
          return null;
        });
    Future<Void> withoutKey = refusedResume.compose(v -> exchange(node, HttpMethod.GET, "/api/sync/events",
        MultiMap.caseInsensitiveMultiMap(), null)).map(response -> {
          assertThat(response.statusCode()).isEqualTo(401);
          return null;
        });
    Future<Void> plainGet = withoutKey.compose(v -> exchange(node, HttpMethod.GET, "/ws/memories",
        MultiMap.caseInsensitiveMultiMap(), null)).map(response -> {
          assertThat(response.statusCode()).isEqualTo(426);
          return null;
        });
    WebSocketClient sockets = vertx.createWebSocketClient();
    Future<Void> socket = plainGet.compose(v -> {
      Promise<JsonObject> first = Promise.promise();
      return sockets.connect(node.port, "127.0.0.1", "/ws/memories?api_key=" + key).compose(ws -> {
        ws.textMessageHandler(text -> first.tryComplete(new JsonObject(text)));
        return api.check("GET", "/ws/memories", 101, ws.headers(), null)
            .compose(checked -> first.future())
            .compose(connected -> {
              assertThat(connected.getString("type")).isEqualTo("connected");
              return api.checkSchema("MemoryMessage", connected);
            })
            .eventually(ws::close);
      });
    });
    socket.eventually(() -> http.close().compose(v -> sockets.close())).onComplete(test.succeedingThenComplete());
  }

  @Test
  @Order(100)
  void everyRouteIsDocumentedAndEveryDocumentedOperationWasChecked() {
    Set<String> documented = api.operations();
    Set<String> routed = routes();
    Set<String> toCheck = new TreeSet<>(documented);
    toCheck.removeAll(NOT_VALIDATED_YET);
    assertThat(documented).as("operations not validated yet are documented").containsAll(NOT_VALIDATED_YET);
    assertThat(documented).as("every route is documented").containsAll(routed);
    if (!NOT_VALIDATED_YET.isEmpty()) {
      assertThat(routed).as("served now: check their answers here and remove them from NOT_VALIDATED_YET")
          .doesNotContainAnyElementsOf(NOT_VALIDATED_YET);
    }
    assertThat(routed).as("every documented operation is served").containsAll(toCheck);
    assertThat(api.exercised()).as("every documented operation was checked").containsAll(toCheck);
  }

  /** "METHOD /path" of every route of the node's router that names its methods. */
  private static Set<String> routes() {
    HttpVerticle verticle = new HttpVerticle(
        io.syncnode.config.CurrentConfig.fixed(db.config(Map.of("SYNCNODE_AUTH_MODE", "api-key"))),
        new RequestRateLimiter(1, 1), () -> "ok", io.syncnode.metrics.NodeMetrics.create(true), new LiveCounters(),
        null);
    verticle.init(vertx, vertx.getOrCreateContext());
    return verticle.router(new ApiDescription(Buffer.buffer())).getRoutes().stream()
        .filter(route -> route.methods() != null)
        .flatMap(route -> route.methods().stream().map(method -> OpenApiDocument.key(method.name(), route.getPath())))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Future<HttpResponse<Buffer>> rateLimited(int sent) {
    return exchange(limited, HttpMethod.POST, "/api/sync/register",
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"), example("register"))
        .compose(response -> response.statusCode() == 429 || sent == 10 ? Future.succeededFuture(response)
            : rateLimited(sent + 1));
  }

  private static Future<Void> unrouted(HttpMethod method, String path, int status, String error) {
    return node.client.request(method, path).putHeaders(withKey()).send().compose(response -> {
      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
      assertThat(response.getHeader("X-Request-Id")).isNotBlank();
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo(error);
      return api.checkSchema("Error", response.bodyAsJsonObject());
    });
  }

  /** Succeeds if {@code check} failed for the expected reason. */
  private static Future<Void> refused(Future<?> check, String reason) {
    return check.transform(result -> {
      if (result.succeeded()) {
        return Future.failedFuture(new AssertionError("a check that should have failed passed"));
      }
      assertThat(result.cause()).hasMessageContaining(reason);
      return Future.succeededFuture();
    });
  }

  private static MultiMap withKey() {
    return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("X-API-Key", key);
  }

  /** POSTs to the main node with the API key; the answer is checked against the document. */
  private static Future<HttpResponse<Buffer>> post(String path, String body) {
    return exchange(node, HttpMethod.POST, path, withKey(), body);
  }

  /**
   * Sends a request and checks the answer against the document, as an exercise of {@code method
   * path}; a request the node accepted must match the document too.
   */
  private static Future<HttpResponse<Buffer>> exchange(TestNode target, HttpMethod method, String path,
      MultiMap headers, String body) {
    HttpRequest<Buffer> request = target.client.request(method, path).putHeaders(headers);
    return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)))
        .compose(response -> api.check(method.name(), path, response))
        .compose(response -> body == null || response.statusCode() != 200 ? Future.succeededFuture(response)
            : api.checkRequest(method.name(), path, Buffer.buffer(body)).map(response));
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static Future<Void> status(HttpResponse<Buffer> response, int status, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo(field);
    return Future.succeededFuture();
  }

  private static String example(String name) {
    return ProtocolExamples.text(name);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = OpenApiTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

}
