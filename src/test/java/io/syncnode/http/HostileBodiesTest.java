package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.HealthWatch;
import io.syncnode.support.NodeProcess;
import io.syncnode.support.NodeWithHeap;
import io.syncnode.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request bodies meant to exhaust a node's heap, against a node in its own JVM with the heap
 * bin/cluster gives it (-Xmx512m): gzip bombs, concurrent bodies at the limit, corrupt gzip.
 * Each is answered with its status, stores nothing, and /health keeps answering meanwhile.
 */
class HostileBodiesTest {
  /** The limit the attacks are measured against; the bombs inflate past it. */
  private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
  private static final byte[] PREFIX = "{\"device_id\":\"b\",\"memories\":[".getBytes(StandardCharsets.UTF_8);

  private static TestDatabase db;
  private static NodeWithHeap fixture;
  private static Pool inspect;
  private static NodeProcess node;
  private static int port;
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    fixture = NodeWithHeap.start(HostileBodiesTest.class, "512m", Map.of("SYNCNODE_HTTP_DECOMPRESSION", "true",
        "SYNCNODE_HTTP_MAXBODYBYTES", Integer.toString(MAX_BODY_BYTES)));
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

  /** A push of no memories whose array holds {@code spaces} spaces, gzipped (65 KB for 64 MiB). */
  private static byte[] gzipBomb(long spaces) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
      gzip.write(PREFIX);
      byte[] block = new byte[1 << 20];
      Arrays.fill(block, (byte) ' ');
      for (long left = spaces; left > 0; left -= block.length) {
        gzip.write(block, 0, (int) Math.min(block.length, left));
      }
      gzip.write("]}".getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static CompletableFuture<HttpResponse<String>> post(String path, byte[] body, boolean gzip) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code count} copies at once while /health is watched; the answers, after checking that nothing was stored. */
  private static List<HttpResponse<String>> attack(int count, String path, byte[] body, boolean gzip) throws Exception {
    String before = await(TestDatabase.fingerprint(inspect));
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    int healthBefore;
    long took;
    HealthWatch health = new HealthWatch(port);
    try (health) {
      Thread.sleep(200);
      healthBefore = health.answered();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        sent.add(post(path, body, gzip));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(300, java.util.concurrent.TimeUnit.SECONDS);
      took = (System.nanoTime() - start) / 1_000_000;
      Thread.sleep(200);
    }
    assertThat(health.missed()).as("/health left unanswered during the attack").isZero();
    if (took > 500) {
      assertThat(health.answered()).as("/health answered while the attack was in flight").isGreaterThan(healthBefore + 1);
    }
    assertThat(health.answered()).as("/health answered after the attack").isGreaterThan(healthBefore);
    assertThat(await(TestDatabase.fingerprint(inspect))).as("nothing stored").isEqualTo(before);
    assertThat(node.isAlive()).isTrue();
    assertThat(node.output()).doesNotContain("OutOfMemoryError");
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : sent) {
      answers.add(response.get());
    }
    return answers;
  }

  private static void assertJsonError(HttpResponse<String> response, int status, String error) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(new JsonObject(response.body()).getString("error")).isEqualTo(error);
    if (status == 503) {
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }
  }

  @Test
  void fourGzipBombsAreAnswered413() throws Exception {
    byte[] bomb = gzipBomb(MAX_BODY_BYTES);
    assertThat(bomb.length).isLessThan(100_000);

    for (HttpResponse<String> answer : attack(4, "/api/sync/push", bomb, true)) {
      assertJsonError(answer, 413, "payload_too_large");
    }
  }

  @Test
  void sixteenGzipBombsAreAnswered413Or503() throws Exception {
    byte[] bomb = gzipBomb(MAX_BODY_BYTES);

    List<HttpResponse<String>> answers = attack(16, "/api/sync/push", bomb, true);

    assertThat(answers).extracting(HttpResponse::statusCode).isSubsetOf(413, 503).contains(413);
    for (HttpResponse<String> answer : answers) {
      assertJsonError(answer, answer.statusCode(), answer.statusCode() == 413 ? "payload_too_large" : "unavailable");
    }
  }

  @Test
  void gzipBombsOnAnEndpointThatParsesWhole() throws Exception {
    byte[] bomb = gzipBomb(MAX_BODY_BYTES);

    List<HttpResponse<String>> answers = attack(16, "/api/sync/diff", bomb, true);

    assertThat(answers).extracting(HttpResponse::statusCode).isSubsetOf(413, 503);
  }

  /** Bodies of exactly the limit, each read whole before its last byte makes it malformed. */
  @Test
  void concurrentPlainBodiesAtTheLimit() throws Exception {
    byte[] body = new byte[MAX_BODY_BYTES];
    Arrays.fill(body, (byte) ' ');
    System.arraycopy(PREFIX, 0, body, 0, PREFIX.length);
    body[body.length - 1] = '}'; // the array is not closed

    // The budget an earlier attack held comes back as its requests end, which may be a moment after
    // its answers: while all of it is still out, every body is refused 503, and the attack is made
    // again (a few times at most) until one is read.
    List<HttpResponse<String>> pushes = attack(8, "/api/sync/push", body, false);
    for (int again = 0; again < 5 && pushes.stream().allMatch(answer -> answer.statusCode() == 503); again++) {
      Thread.sleep(1_000);
      pushes = attack(8, "/api/sync/push", body, false);
    }
    List<HttpResponse<String>> diffs = attack(8, "/api/sync/diff", body, false);

    assertThat(pushes).extracting(HttpResponse::statusCode).isSubsetOf(400, 503).contains(400);
    assertThat(diffs).extracting(HttpResponse::statusCode).isSubsetOf(400, 503).contains(503);
    for (HttpResponse<String> answer : pushes) {
      assertJsonError(answer, answer.statusCode(), answer.statusCode() == 400 ? "invalid_request" : "unavailable");
    }
  }

  @Test
  void corruptGzipIsAnswered400() throws Exception {
    byte[] good = gzipBomb(10);
    byte[] corrupt = Arrays.copyOf(good, good.length);
    for (int i = 10; i < corrupt.length - 8; i++) {
      corrupt[i] ^= 0x5a;
    }
    byte[] notGzip = "{\"device_id\":\"b\"}".getBytes(StandardCharsets.UTF_8);
    byte[] truncated = Arrays.copyOf(good, good.length / 2);

    for (byte[] body : List.of(corrupt, notGzip, truncated)) {
      for (HttpResponse<String> answer : attack(1, "/api/sync/push", body, true)) {
        assertJsonError(answer, 400, "invalid_request");
        assertThat(new JsonObject(answer.body()).getString("detail")).contains("gzip");
      }
    }
  }
}
