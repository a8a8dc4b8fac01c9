package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Push bodies past 1 MiB go to temporary files, whose bytes a node bounds at once
 * (http.maxSpooledBodyBytes): past it a push is answered 503 and stores nothing, and a stored push
 * gives its share back.
 */
class SpooledBodiesTest {
  /** Room on disk for one push of about 1.2 MiB, not for one of 2 MiB. */
  private static final long SPOOL_BYTES = 1_600_000;
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(SpooledBodiesTest.class);
    vertx = Vertx.vertx();
    node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_HTTP_MAXSPOOLEDBODYBYTES", Long.toString(SPOOL_BYTES)));
    pool = db.pool(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    await(pool.close());
    TestNode.stopAndDrop(node, vertx, db);
  }

  /** A push of memories of 10,000 characters each, {@code bytes} long in all or a little more. */
  private static String push(String prefix, int bytes) {
    StringBuilder body = new StringBuilder("{\"device_id\":\"spooler\",\"memories\":[");
    String content = "x".repeat(10_000);
    for (int i = 0; body.length() < bytes; i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"id\":\"").append(prefix).append(i).append("\",\"content\":\"").append(content).append("\"}");
    }
    return body.append("]}").toString();
  }

  private static HttpResponse<Buffer> send(String body) throws Exception {
    return await(node.postRaw("/api/sync/push", body, "application/json"));
  }

  /** Sends the push again while it is answered 503 for want of room on disk, for at most 10 s. */
  private static HttpResponse<Buffer> sendUntilRoom(String body) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    HttpResponse<Buffer> answer = send(body);
    while (answer.statusCode() == 503 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      answer = send(body);
    }
    return answer;
  }

  @Test
  void aPushPastTheSpoolBudgetIs503AndStoresNothingWhileOnesWithinItAreStoredAndGiveTheirShareBack()
      throws Exception {
    String before = await(TestDatabase.fingerprint(pool));
    HttpResponse<Buffer> refused = send(push("big-", 2_000_000));
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(503);
    assertThat(refused.getHeader("Retry-After")).isNotNull();
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
    assertThat(await(TestDatabase.fingerprint(pool))).as("nothing stored").isEqualTo(before);

    // within the budget, twice in a row: the refused push and then the first give back what their
    // files held (as their requests end, which may be a moment after the client has its answer)
    for (String prefix : new String[] {"first-", "second-"}) {
      HttpResponse<Buffer> stored = sendUntilRoom(push(prefix, 1_200_000));
      assertThat(stored.statusCode()).as(stored.bodyAsString()).isEqualTo(200);
      JsonObject answer = stored.bodyAsJsonObject();
      assertThat(answer.getInteger("rejected")).isZero();
      assertThat(answer.getInteger("accepted")).isGreaterThan(100);
    }
  }
}
