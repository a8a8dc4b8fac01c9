package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeProcess;
import io.syncnode.support.NodeWithHeap;
import io.syncnode.support.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pushes of a contextfs client that has much to send: all its pending changes in one request,
 * the same set again until it is taken. Against a node in its own JVM with -Xmx256m and the
 * default limits.
 */
class LargePushTest {
  private static final int EMBEDDING = 384;
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static TestDatabase db;
  private static NodeWithHeap fixture;
  private static Pool inspect;
  private static NodeProcess node;
  private static int port;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    fixture = NodeWithHeap.start(LargePushTest.class, "256m", Map.of());
    db = fixture.db;
    inspect = fixture.inspect;
    port = fixture.port;
    node = fixture.node;
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Writes a push of {@code count} memories with 384-float embeddings, as the client sends them; {@code end} closes it. */
  private static Path push(String name, String prefix, int count, String end) throws IOException {
    Path file = dir.resolve(name + ".json");
    Random random = new Random(count);
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
      out.write("{\"device_id\":\"laptop\",\"memories\":[");
      for (int i = 0; i < count; i++) {
        out.write(i == 0 ? "" : ",");
        out.write("{\"id\":\"" + prefix + i + "\",\"content\":\"memory " + i + " of a device that was offline for a while, "
            + "with enough words to look like a real note about a repository\",\"type\":\"fact\",\"tags\":[\"large\",\"push\"],"
            + "\"namespace_id\":\"global\",\"vector_clock\":{\"laptop\":1},\"created_at\":\"2026-12-01T10:00:00.123456Z\","
            + "\"updated_at\":\"2026-12-01T10:00:00.123456Z\",\"embedding\":[");
        for (int k = 0; k < EMBEDDING; k++) {
          out.write(k == 0 ? "" : ",");
          out.write(Double.toString((float) random.nextGaussian() / 10));
        }
        out.write("]}");
      }
      out.write(end);
    }
    return file;
  }

  private static HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sync/push"))
        .timeout(Duration.ofMinutes(10))
        .header("Content-Type", "application/json")
        .POST(body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long count(String prefix) throws Exception {
    return await(inspect.query("SELECT count(*) FROM memories WHERE id LIKE '" + prefix + "%'").execute())
        .iterator().next().getLong(0);
  }

  @Test
  void twentyThousandMemoriesWithEmbeddingsAreStoredUnder256MiB() throws Exception {
    Path body = push("large", "large-", 20_000, "]}");
    assertThat(Files.size(body)).as("the size the issue quotes").isGreaterThan(150_000_000L);

    HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofFile(body));

    assertThat(response.statusCode()).as(response.body().substring(0, Math.min(300, response.body().length())))
        .isEqualTo(200);
    JsonObject answer = new JsonObject(response.body());
    assertThat(answer.getInteger("accepted_memories")).isEqualTo(20_000);
    assertThat(answer.getInteger("rejected")).isZero();
    assertThat(answer.getJsonArray("pushed_items")).hasSize(20_000);
    assertThat(count("large-")).isEqualTo(20_000L);
    JsonArray embedding = new JsonArray(await(inspect.query(
        "SELECT embedding::text FROM memories WHERE id = 'large-19999'").execute()).iterator().next().getString(0)
        .replace('{', '[').replace('}', ']'));
    assertThat(embedding).hasSize(EMBEDDING);
    assertThat(node.isAlive()).isTrue();
    assertThat(node.output()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void oneOversizedMemoryAmongAHundredIsRejectedAlone() throws Exception {
    StringBuilder body = new StringBuilder("{\"device_id\":\"laptop\",\"memories\":[");
    for (int i = 0; i < 100; i++) {
      String content = i == 57 ? "x".repeat(1_048_577) : "note " + i;
      body.append(i == 0 ? "" : ",").append("{\"id\":\"hundred-").append(i).append("\",\"content\":\"").append(content)
          .append("\",\"vector_clock\":{\"laptop\":1}}");
    }
    body.append("]}");

    HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofString(body.toString()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(response.body());
    assertThat(answer.getInteger("accepted_memories")).isEqualTo(99);
    assertThat(answer.getInteger("rejected_memories")).isEqualTo(1);
    assertThat(answer.getInteger("rejected")).isEqualTo(1);
    assertThat(answer.getString("status")).isEqualTo("partial");
    assertThat(answer.getJsonArray("rejected_items")).containsExactly(new JsonObject()
        .put("id", "hundred-57").put("type", "memory").put("field", "memories[57].content")
        .put("error", "must be at most 1048576 characters"));
    assertThat(count("hundred-")).isEqualTo(99L);
    assertThat(await(inspect.query("SELECT count(*) FROM memories WHERE id = 'hundred-57'").execute())
        .iterator().next().getLong(0)).isZero();
  }

  /** Bodies larger than what is read in one pass, whose fault is at their very end: nothing of them is stored. */
  @Test
  void aFaultAtTheEndOfALargeBodyStoresNothing() throws Exception {
    Path malformed = push("malformed", "malformed-", 3_000, "]");
    Path wrongType = push("wrong-type", "wrong-", 3_000, ",{\"id\":\"last\",\"content\":42}]}");
    assertThat(Files.size(malformed)).as("more than a push read in one pass").isGreaterThan(PushHandler.ONE_PASS_BYTES);
    String before = await(TestDatabase.fingerprint(inspect));

    HttpResponse<String> first = post(HttpRequest.BodyPublishers.ofFile(malformed));
    HttpResponse<String> second = post(HttpRequest.BodyPublishers.ofFile(wrongType));

    assertThat(first.statusCode()).as(first.body()).isEqualTo(400);
    assertThat(new JsonObject(first.body()).getString("detail")).contains("JSON");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(422);
    assertThat(new JsonObject(second.body()).getString("field")).isEqualTo("memories[3000].content");
    assertThat(await(TestDatabase.fingerprint(inspect))).isEqualTo(before);
  }
}
