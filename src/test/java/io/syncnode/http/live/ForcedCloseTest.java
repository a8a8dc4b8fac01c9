package io.syncnode.http.live;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.config.Version;
import io.syncnode.support.StalledClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A connection whose client stopped reading is cut at once, however much is still queued for it. */
class ForcedCloseTest {
  private static final int MEGABYTES = 64;

  private Vertx vertx;
  private HttpServer server;
  private final CompletableFuture<Void> cut = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = await(vertx.createHttpServer()
        .webSocketHandler(this::flood)
        .requestHandler(this::flood)
        .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }


  /** Queues far more than the sockets can hold, then cuts the connection. */
  private void flood(HttpServerRequest request) {
    request.response().setChunked(true);
    for (int i = 0; i < MEGABYTES; i++) {
      request.response().write(Buffer.buffer(new byte[1 << 20]));
    }
    vertx.setTimer(200, t -> {
      ForcedClose.connection(request.connection());
      cut.complete(null);
    });
  }

  private void flood(ServerWebSocket ws) {
    for (int i = 0; i < MEGABYTES; i++) {
      ws.writeBinaryMessage(Buffer.buffer(new byte[1 << 20]));
    }
    vertx.setTimer(200, t -> {
      ForcedClose.webSocket(ws);
      cut.complete(null);
    });
  }

  @Test
  void aStalledResponseIsCut() throws Exception {
    try (StalledClient client = StalledClient.open(server.actualPort(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n")) {
      cut.get(30, TimeUnit.SECONDS);
      assertThat(client.drain()).isLessThan((long) MEGABYTES << 20);
    }
  }

  @Test
  void aStalledWebSocketIsCut() throws Exception {
    try (StalledClient client = StalledClient.open(server.actualPort(), "GET / HTTP/1.1\r\nHost: x\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n")) {
      cut.get(30, TimeUnit.SECONDS);
      assertThat(client.drain()).isLessThan((long) MEGABYTES << 20);
    }
  }
}
