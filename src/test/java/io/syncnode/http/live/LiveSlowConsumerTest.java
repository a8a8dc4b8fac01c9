package io.syncnode.http.live;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.config.Version;
import io.syncnode.support.Entities;
import io.syncnode.support.StalledClient;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A live client that stops reading while much changes is dropped with a reason, and the node goes on serving. */
class LiveSlowConsumerTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabase.create(LiveSlowConsumerTest.class);
    node = TestNode.startAndWait(vertx, db, Map.of(
        "SYNCNODE_LIVE_MAXQUEUEDBYTES", "65536", "SYNCNODE_LIVE_DRAINTIMEOUTMS", "500",
        "SYNCNODE_LIVE_PINGINTERVALMS", "1000"));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }


  private static void push(JsonObject body) throws Exception {
    var response = await(node.post("/api/sync/push", body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  private static void awaitCount(LongSupplier count, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (count.getAsLong() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(count.getAsLong()).isEqualTo(expected);
  }

  private static void assertTheNodeStillServes() throws Exception {
    assertThat(await(node.client.get("/health").send()).statusCode()).isEqualTo(200);
    var pulled = await(node.post("/api/sync/pull", Entities.pull("other-device", null, 5, 0)));
    assertThat(pulled.statusCode()).isEqualTo(200);
  }

  @Test
  void anEventStreamThatStopsReadingIsEndedWithTheReason() throws Exception {
    long dropped = node.node.live().slowConsumersDropped();
    try (StalledClient stalled = StalledClient.open(node.port,
        "GET /api/sync/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")) {
      assertThat(stalled.head()).startsWith("HTTP/1.1 200").contains("text/event-stream");
      String large = "x".repeat(250_000);
      for (int push = 0; push < 10; push++) {
        List<JsonObject> memories = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          memories.add(Entities.memory("large-" + push + "-" + i, large, clock("writer", 1)));
        }
        push(Entities.pushMemories("writer", memories.toArray(JsonObject[]::new)));
      }
      awaitCount(() -> node.node.live().slowConsumersDropped(), dropped + 1);

      String body = stalled.readChunkedToEnd();
      assertThat(body).contains("event: memory").endsWith("\n\n");
      String last = body.substring(body.lastIndexOf("event: "));
      assertThat(last).startsWith("event: error\ndata: ").contains("slow_consumer").contains("slow consumer");
    }
    awaitCount(() -> node.node.live().open(), 0);
    assertTheNodeStillServes();
  }

  @Test
  void aSocketThatStopsReadingIsClosedWith1008() throws Exception {
    long dropped = node.node.live().slowConsumersDropped();
    try (StalledClient stalled = StalledClient.open(node.port, "GET /ws/memories HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n")) {
      assertThat(stalled.head()).startsWith("HTTP/1.1 101");
      assertThat(stalled.readFrame().text()).contains("\"connected\"");
      String idPrefix = "i".repeat(400);
      for (int push = 0; push < 5; push++) {
        List<JsonObject> memories = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          memories.add(Entities.memory(idPrefix + "-" + push + "-" + i, "small", clock("writer", 1)));
        }
        push(Entities.pushMemories("writer", memories.toArray(JsonObject[]::new)));
      }
      awaitCount(() -> node.node.live().slowConsumersDropped(), dropped + 1);

      StalledClient.Frame close = stalled.readUntilClose();
      ByteBuffer payload = ByteBuffer.wrap(close.payload());
      assertThat(payload.getShort()).isEqualTo((short) 1008);
      assertThat(StandardCharsets.UTF_8.decode(payload).toString()).isEqualTo("slow consumer");
    }
    awaitCount(() -> node.node.live().open(), 0);
    assertTheNodeStillServes();
  }
}
