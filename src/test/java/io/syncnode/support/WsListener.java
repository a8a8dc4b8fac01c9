package io.syncnode.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket client of a node's /ws/memories that keeps every message it hears, for a test to take in order. */
public final class WsListener implements AutoCloseable {
  private static final long WAIT_SECONDS = 30;

  private final WebSocketClient client;
  private final ClientWebSocket ws;
  private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private volatile String closeReason;

  private WsListener(WebSocketClient client, ClientWebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> messages.add(new JsonObject(text)));
    ws.closeHandler(v -> {
      closeReason = ws.closeReason();
      closed.complete(ws.closeStatusCode());
    });
  }

  /** Connects to {@code uri} (path and query) on the node's port. */
  public static WsListener connect(Vertx vertx, int port, String uri) throws Exception {
    for (int attempt = 1; ; attempt++) {
      WebSocketClient client = vertx.createWebSocketClient();
      // handlers first: the server may close the socket as soon as it opens
      WsListener listener = new WsListener(client, client.webSocket());
      try {
        listener.ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
            .await(WAIT_SECONDS, TimeUnit.SECONDS);
        return listener;
      } catch (Exception e) {
        // The client fails its own connect when the server's close frame arrives before the
        // connect completes, and then reports no close code: connect again to hear it.
        listener.close();
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("WebSocket is closed")) {
          throw e;
        }
      }
    }
  }

  /** Connects and waits for the {@code connected} message, after which the socket hears every change. */
  public static WsListener connected(Vertx vertx, int port, String uri) throws Exception {
    WsListener listener = connect(vertx, port, uri);
    assertThat(listener.next().getString("type")).isEqualTo("connected");
    return listener;
  }

  /** The next message other than the server's pings. */
  public JsonObject next() throws InterruptedException {
    return next(message -> !"ping".equals(message.getString("type")));
  }

  /** The next message {@code wanted} accepts, skipping the others. */
  public JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
    return Await.next(messages, wanted, WAIT_SECONDS, "a message");
  }

  public void send(String text) {
    ws.writeTextMessage(text);
  }

  /** Waits until the server closes the socket; returns the close code it sent. */
  public short awaitClose() throws Exception {
    return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** The reason the server gave when it closed the socket. */
  public String closeReason() {
    return closeReason;
  }

  @Override
  public void close() {
    client.close();
  }
}
