package io.syncnode.http.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.SseListener;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.syncnode.support.WsListener;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stopping node ends its live connections rather than waiting for them as for requests in flight. */
class LiveShutdownTest {
  @Test
  void aStoppingNodeEndsItsStreamsAndClosesItsSockets() throws Exception {
    Vertx vertx = Vertx.vertx();
    Vertx clients = Vertx.vertx();
    TestDatabase db = TestDatabase.create(LiveShutdownTest.class);
    try {
      // long enough that a stream left open would hold the stop past the wait below
      TestNode node = TestNode.startAndWait(vertx, db, Map.of("SYNCNODE_HTTP_SHUTDOWNTIMEOUTMS", "600000"));
      try (SseListener stream = SseListener.started(clients, node.port, Map.of());
           WsListener socket = WsListener.connected(clients, node.port, "/ws/memories")) {
        node.stop().await(60, TimeUnit.SECONDS);

        stream.awaitEnd();
        assertThat(socket.awaitClose()).isEqualTo((short) 1001);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      clients.close().await(30, TimeUnit.SECONDS);
      db.close();
    }
  }
}
