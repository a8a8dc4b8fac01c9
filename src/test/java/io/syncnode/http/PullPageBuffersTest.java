package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.StalledClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A pull page's rows are written to the client from a direct buffer of the pooled allocator, taken
 * for each page and given back once the write is over, whether the client read the page or went
 * away before it did: no page leaves a buffer taken.
 */
class PullPageBuffersTest extends NodeTestBase {
  private static final int MEMORIES = 3_000;
  private static final int PAGE = 1_000;

  /** Direct buffers of the pooled allocator taken and not yet given back. */
  private static long directBuffersTaken() {
    return PooledByteBufAllocator.DEFAULT.metric().directArenas().stream()
        .mapToLong(PoolArenaMetric::numActiveAllocations).sum();
  }

  @Test
  void pagesReadWholeOrLeftByTheirClientGiveTheirBuffersBack() throws Exception {
    String writer = "buffers-writer";
    String content = "c".repeat(1_000);
    for (int batch = 0; batch < MEMORIES / PAGE; batch++) {
      JsonArray memories = new JsonArray();
      for (int i = 0; i < PAGE; i++) {
        memories.add(Entities.memory("buffers-" + batch + "-" + i, content, clock(writer, 1)));
      }
      JsonObject stored = node.post("/api/sync/push", Entities.push(writer, memories, new JsonArray(), new JsonArray()))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).bodyAsJsonObject();
      assertThat(stored.getInteger("accepted_memories")).isEqualTo(PAGE);
    }
    long taken = directBuffersTaken();

    for (int round = 0; round < 3; round++) {
      int served = 0;
      long offset = 0;
      boolean more = true;
      while (more) {
        JsonObject page = node.post("/api/sync/pull", Entities.pull("buffers-reader-" + round, null, PAGE, offset))
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).bodyAsJsonObject();
        served += page.getJsonArray("memories").size();
        more = page.getBoolean("has_more");
        offset = page.getLong("next_offset");
      }
      assertThat(served).as("memories pulled in round %d", round).isEqualTo(MEMORIES);
    }
    awaitTaken(taken, "after pages read whole");

    // a client that reads the head of each page and then goes away, its page not yet written
    String body = Entities.pull("buffers-leaver", null, PAGE, 0).encode();
    for (int leaver = 0; leaver < 5; leaver++) {
      try (StalledClient client = StalledClient.open(node.port, "POST /api/sync/pull HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
          + "\r\n\r\n" + body)) {
        assertThat(client.head()).startsWith("HTTP/1.1 200");
      }
    }
    awaitTaken(taken, "after clients left their pages");
  }

  private static void awaitTaken(long expected, String when) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (directBuffersTaken() != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(directBuffersTaken()).as("pooled direct buffers taken %s", when).isEqualTo(expected);
  }
}
