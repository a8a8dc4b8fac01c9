package io.syncnode.auth;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.admin.Admin;
import io.syncnode.support.Entities;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** auth.mode=api-key: keys made with the admin command, 401s, revocation, and tenants that never see each other. */
@ExtendWith(VertxExtension.class)
class ApiKeyTenantsTest {
  private static final long CACHE_TTL_MS = 300;
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;
  private static String alice;
  private static String bob;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(ApiKeyTenantsTest.class);
    alice = lastLine(admin("create-key", "--tenant", "alice"));
    bob = lastLine(admin("create-key", "--tenant", "bob"));
    vertx = Vertx.vertx();
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_AUTH_MODE", "api-key",
        "SYNCNODE_AUTH_CACHETTLMS", Long.toString(CACHE_TTL_MS)));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  /** Runs the admin command against the test database and returns what it printed. */
  private static String admin(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new Admin(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(db.environment(Map.of()), args);
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  private static Future<HttpResponse<Buffer>> post(String key, String endpoint, JsonObject body) {
    var request = node.client.post("/api/sync/" + endpoint).putHeader("Content-Type", "application/json");
    if (key != null) {
      request.putHeader("X-API-Key", key);
    }
    return request.sendBuffer(body.toBuffer());
  }

  private static Future<JsonObject> ok(String key, String endpoint, JsonObject body) {
    return post(key, endpoint, body).map(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      return response.bodyAsJsonObject();
    });
  }

  private static void assertUnauthorized(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
  }

  @Test
  void keysLookLikeKeys() {
    assertThat(alice).startsWith("snk_").hasSizeGreaterThan(4 + 16 + 1 + 42);
    assertThat(alice).isNotEqualTo(bob);
  }

  @Test
  void requestsWithoutAValidKeyAreRefusedAndHealthStaysOpen(VertxTestContext test) {
    JsonObject status = new JsonObject().put("device_id", "d");
    String forged = alice.substring(0, alice.length() - 4) + "AAAA";
    post(null, "status", status)
        .compose(none -> {
          assertUnauthorized(none);
          return post("not-a-key", "status", status);
        })
        .compose(garbage -> {
          assertUnauthorized(garbage);
          return post(forged, "status", status);
        })
        .compose(wrongSecret -> {
          assertUnauthorized(wrongSecret);
          return node.client.post("/api/sync/status").putHeader("Authorization", "Bearer " + alice)
              .putHeader("Content-Type", "application/json").sendBuffer(status.toBuffer());
        })
        .compose(bearer -> {
          // a valid key gets past authentication: the unknown device is the tenant's own 404
          assertThat(bearer.statusCode()).isEqualTo(404);
          return node.client.get("/health").send();
        })
        .onComplete(test.succeeding(health -> test.verify(() -> {
          assertThat(health.statusCode()).isEqualTo(200);
          test.completeNow();
        })));
  }

  @Test
  void aRevokedKeyIsRefusedWithinTheCacheTtl(VertxTestContext test) {
    String carol = lastLine(admin("create-key", "--tenant", "carol"));
    String keyId = carol.substring(4, 20);
    JsonObject pull = new JsonObject().put("device_id", "d");
    ok(carol, "pull", pull)
        .compose(allowed -> {
          assertThat(admin("list-keys", "--tenant", "carol")).contains(keyId);
          admin("revoke-key", keyId);
          Promise<Void> waited = Promise.promise();
          vertx.setTimer(CACHE_TTL_MS + 200, t -> waited.complete());
          return waited.future();
        })
        .compose(waited -> post(carol, "pull", pull))
        .onComplete(test.succeeding(refused -> test.verify(() -> {
          assertUnauthorized(refused);
          test.completeNow();
        })));
  }

  @Test
  void tenantsWithTheSameIdsSeeOnlyTheirOwnData(VertxTestContext test) {
    JsonObject register = new JsonObject().put("device_id", "shared-device").put("device_name", "n")
        .put("platform", "linux").put("client_version", "1");
    Future<JsonObject> aliceWrites = ok(alice, "register", register).compose(r -> ok(alice, "push",
        Entities.push("shared-device",
            new JsonArray().add(Entities.memory("shared-mem", "alice's", clock("shared-device", 1))),
            new JsonArray().add(Entities.session("shared-sess", "alice's", clock("shared-device", 1))),
            new JsonArray().add(Entities.edge("a", "b", "rel", clock("shared-device", 1))
                .put("metadata", new JsonObject().put("owner", "alice"))))));
    Future<JsonObject> bobWrites = aliceWrites.compose(r -> ok(bob, "push",
        Entities.push("shared-device",
            new JsonArray().add(Entities.memory("shared-mem", "bob's", clock("shared-device", 1))),
            new JsonArray().add(Entities.session("shared-sess", "bob's", clock("shared-device", 1))),
            new JsonArray().add(Entities.edge("a", "b", "rel", clock("shared-device", 1))
                .put("metadata", new JsonObject().put("owner", "bob"))))));
    bobWrites
        .compose(bobPush -> {
          // the same ids are new for bob: no conflict with alice's rows
          assertThat(bobPush.getInteger("accepted")).isEqualTo(3);
          assertThat(bobPush.getJsonArray("conflicts")).isEmpty();
          return ok(bob, "pull", new JsonObject().put("device_id", "shared-device"));
        })
        .compose(bobPull -> {
          assertThat(bobPull.getJsonArray("memories")).hasSize(1);
          assertThat(bobPull.getJsonArray("memories").getJsonObject(0).getString("content")).isEqualTo("bob's");
          assertThat(bobPull.getJsonArray("sessions").getJsonObject(0).getString("summary")).isEqualTo("bob's");
          assertThat(bobPull.getJsonArray("edges").getJsonObject(0).getJsonObject("metadata").getString("owner"))
              .isEqualTo("bob");
          return ok(alice, "pull", new JsonObject().put("device_id", "shared-device"));
        })
        .compose(alicePull -> {
          assertThat(alicePull.getJsonArray("memories")).hasSize(1);
          assertThat(alicePull.getJsonArray("memories").getJsonObject(0).getString("content")).isEqualTo("alice's");
          return post(bob, "status", new JsonObject().put("device_id", "shared-device"));
        })
        .compose(bobStatus -> {
          // the device is registered by alice only
          assertThat(bobStatus.statusCode()).isEqualTo(404);
          return ok(bob, "diff", new JsonObject().put("device_id", "shared-device")
              .put("memories", new JsonArray().add(new JsonObject().put("id", "alice-only"))));
        })
        .compose(bobDiff -> {
          assertThat(bobDiff.getJsonArray("missing_memories")).hasSize(1);
          assertThat(bobDiff.getJsonArray("missing_memories").getJsonObject(0).getString("content")).isEqualTo("bob's");
          assertThat(bobDiff.getJsonArray("server_missing_memory_ids")).containsExactly("alice-only");
          return ok(bob, "merkle", new JsonObject().put("device_id", "shared-device"));
        })
        .compose(bobMerkle -> ok(alice, "merkle", new JsonObject().put("device_id", "shared-device"))
            .map(aliceMerkle -> List.of(bobMerkle, aliceMerkle)))
        .onComplete(test.succeeding(merkles -> test.verify(() -> {
          assertThat(merkles.get(0).getJsonObject("memories").getLong("count")).isEqualTo(1);
          assertThat(merkles.get(1).getJsonObject("memories").getLong("count")).isEqualTo(1);
          test.completeNow();
        })));
  }
}
