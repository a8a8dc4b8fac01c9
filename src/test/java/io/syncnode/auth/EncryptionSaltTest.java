package io.syncnode.auth;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.admin.Admin;
import io.syncnode.support.ContextfsDevice;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The newer contextfs client with an API key: it first asks GET /api/auth/encryption-salt (404: no
 * end-to-end encryption), then sends encrypted contents with {@code encrypted} and {@code visibility}.
 */
class EncryptionSaltTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;
  private static String plainKey;
  private static String secretKey;
  private static String secondSecretKey;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(EncryptionSaltTest.class);
    plainKey = admin("create-key", "--tenant", "plain").key();
    AdminRun e2ee = admin("create-key", "--tenant", "secret", "--e2ee");
    assertThat(e2ee.messages()).contains("end-to-end encryption is on for tenant secret");
    secretKey = e2ee.key();
    secondSecretKey = admin("create-key", "--tenant", "secret", "--e2ee").key();
    vertx = Vertx.vertx();
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_AUTH_MODE", "api-key"));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  /** What create-key printed: the key alone on stdout, its messages on stderr. */
  private record AdminRun(String key, String messages) {}

  private static AdminRun admin(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new Admin(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(db.environment(Map.of()), args);
    String messages = err.toString(StandardCharsets.UTF_8);
    assertThat(status).as(messages).isZero();
    String key = out.toString(StandardCharsets.UTF_8);
    assertThat(key).as("stdout holds the key alone").matches("snk_\\w+_\\S+\\R");
    return new AdminRun(key.strip(), messages);
  }

  private static HttpResponse<Buffer> salt(String key) throws Exception {
    var request = node.client.get("/api/auth/encryption-salt");
    if (key != null) {
      request.putHeader("X-API-Key", key);
    }
    return await(request.send());
  }

  @Test
  void aTenantWithoutSaltIsAnswered404AndOneWithASaltGetsIt() throws Exception {
    assertThat(salt(null).statusCode()).isEqualTo(401);

    HttpResponse<Buffer> none = salt(plainKey);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.bodyAsJsonObject().getString("error")).isEqualTo("no_encryption_salt");

    HttpResponse<Buffer> found = salt(secretKey);
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.getHeader("Content-Type")).startsWith("application/json");
    String value = found.bodyAsJsonObject().getString("salt");
    assertThat(found.bodyAsJsonObject().fieldNames()).containsExactly("salt");
    assertThat(Base64.getUrlDecoder().decode(value)).hasSize(32);
    // one salt per tenant, kept by a second --e2ee key
    assertThat(salt(secondSecretKey).bodyAsJsonObject().getString("salt")).isEqualTo(value);
  }

  @Test
  void encryptedContentsAndVisibilitySyncAsSent() throws Exception {
    ContextfsDevice laptop = new ContextfsDevice(node, "laptop", null, secretKey);
    ContextfsDevice desktop = new ContextfsDevice(node, "desktop", null, secretKey);
    laptop.register();
    desktop.register();
    String ciphertext = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQ-ciphertext_base64url==";
    JsonObject memory = new JsonObject().put("id", "m-secret").put("content", ciphertext)
        .put("content_hash", "0af4b48223e10f4a").put("vector_clock", new JsonObject().put("laptop", 1))
        .put("encrypted", true).put("visibility", "private");
    JsonObject plain = new JsonObject().put("id", "m-plain").put("content", "hello")
        .put("vector_clock", new JsonObject().put("laptop", 1)).put("encrypted", false).put("visibility", "team_read");
    laptop.post("push", new JsonObject().put("device_id", "laptop")
        .put("memories", new JsonArray().add(memory).add(plain)).put("sessions", new JsonArray())
        .put("edges", new JsonArray()));

    JsonArray pulled = desktop.post("pull", new JsonObject().put("device_id", "desktop").putNull("since_timestamp")
        .put("limit", 1000).put("offset", 0)).getJsonArray("memories");
    JsonObject secret = find(pulled, "m-secret");
    assertThat(secret.getString("content")).isEqualTo(ciphertext);
    assertThat(secret.getBoolean("encrypted")).isTrue();
    assertThat(secret.getString("visibility")).isEqualTo("private");
    assertThat(secret.getString("content_hash")).isEqualTo("0af4b48223e10f4a");
    assertThat(find(pulled, "m-plain").getBoolean("encrypted")).isFalse();
    assertThat(find(pulled, "m-plain").getString("visibility")).isEqualTo("team_read");

    JsonObject diff = desktop.post("diff", new JsonObject().put("device_id", "desktop")
        .put("memories", new JsonArray()).put("sessions", new JsonArray()).put("edges", new JsonArray()));
    JsonObject missing = find(diff.getJsonArray("missing_memories"), "m-secret");
    assertThat(missing.getBoolean("encrypted")).isTrue();
    assertThat(missing.getString("visibility")).isEqualTo("private");
    assertThat(missing.getString("content")).isEqualTo(ciphertext);
  }

  private static JsonObject find(JsonArray entities, String id) {
    return entities.stream().map(JsonObject.class::cast).filter(e -> e.getString("id").equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError(id + " not in " + entities));
  }
}
