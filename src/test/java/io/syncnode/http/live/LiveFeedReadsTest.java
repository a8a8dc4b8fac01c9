package io.syncnode.http.live;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.SseListener;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Live streams cost the database nothing per stream: for the same changes, the node reads the
 * feed as often with 200 event streams of one tenant open as with one (counted, not timed), and
 * not at all while nothing changes (heartbeats included).
 */
class LiveFeedReadsTest extends NodeTestBase {
  private static final int CHANGES = 3;

  /** Pushes {@link #CHANGES} memories one by one, each once every stream has it; answers the feed reads they cost. */
  private static long readsFor(List<SseListener> streams, String prefix) throws Exception {
    long before = node.node.live().feedReads();
    for (int i = 0; i < CHANGES; i++) {
      String id = unique(prefix + "-" + i);
      await(call("push", Entities.pushMemories("writer", Entities.memory(id, "c", clock("writer", 1)))));
      for (SseListener stream : streams) {
        stream.next(event -> event.data() != null && event.data().contains(id));
      }
    }
    Thread.sleep(1_000);
    return node.node.live().feedReads() - before;
  }

  @Test
  void feedReadsDoNotGrowWithTheStreams() throws Exception {
    Vertx clients = Vertx.vertx();
    List<SseListener> streams = new ArrayList<>();
    try {
      streams.add(SseListener.started(clients, node.port, Map.of()));
      readsFor(streams, "warm-one");
      long withOne = readsFor(streams, "one");
      for (int i = 1; i < 200; i++) {
        streams.add(SseListener.started(clients, node.port, Map.of()));
      }
      // every stream at the same position
      readsFor(streams, "warm-all");
      long idle = node.node.live().feedReads();
      Thread.sleep(1_500);
      long whileIdle = node.node.live().feedReads() - idle;
      long withAll = readsFor(streams, "all");
      System.out.printf("feed reads for %d changes: %d with 1 stream, %d with %d streams; %d while idle%n",
          CHANGES, withOne, withAll, streams.size(), whileIdle);
      assertThat(withOne).isPositive();
      assertThat(withAll).isEqualTo(withOne);
      assertThat(whileIdle).isZero();
    } finally {
      streams.forEach(SseListener::close);
      await(clients.close());
    }
  }
}
