package io.syncnode.http.live;

import io.syncnode.config.NodeConfig.LiveConfig;
import io.syncnode.protocol.EntityType;
import io.syncnode.worker.api.Addresses;
import io.syncnode.worker.api.ChangeEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of GET /ws/memories: it hears the memory changes of its tenant committed through any
 * node, a {@code ping} every live.pingIntervalMs, and answers a client's {@code ping} with
 * {@code pong}. Messages are small and sent as changes happen, so a client that lets more than
 * live.maxQueuedBytes wait when the next one is due is closed with 1008 "slow consumer".
 */
final class MemorySocket {
  private static final Logger LOG = LoggerFactory.getLogger(MemorySocket.class);
  static final short SLOW_CONSUMER = 1008;
  static final short GOING_AWAY = 1001;

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final String tenant;
  private final LiveConfig config;
  private final LiveCounters counters;
  private MessageConsumer<ChangeEvent> changes;
  private long ping = -1;
  private boolean closing;
  private boolean closed;

  MemorySocket(Vertx vertx, ServerWebSocket ws, String tenant, LiveConfig config, LiveCounters counters) {
    this.vertx = vertx;
    this.ws = ws;
    this.tenant = tenant;
    this.config = config;
    this.counters = counters;
  }

  /** Starts the socket; the caller has counted it in ({@link LiveCounters#tryOpen}). */
  void open() {
    ws.setWriteQueueMaxSize(config.maxQueuedBytes());
    ws.exceptionHandler(error -> LOG.debug("live socket of tenant {}: {}", tenant, error.getMessage()));
    ws.closeHandler(v -> closed());
    ws.shutdownHandler(v -> close(GOING_AWAY, "the node is shutting down"));
    ws.textMessageHandler(this::fromClient);
    changes = vertx.eventBus().localConsumer(Addresses.changesOf(tenant), message -> heard(message.body()));
    changes.completion().onComplete(registered -> {
      send(MemoryMessages.connected(tenant, config.pingIntervalMs()));
      if (!closing) {
        ping = vertx.setPeriodic(config.pingIntervalMs(), t -> send(MemoryMessages.ping()));
      }
    }, error -> close((short) 1011, "the node cannot follow changes now"));
  }

  private void heard(ChangeEvent event) {
    if (event.type() != EntityType.MEMORY) {
      return;
    }
    for (String message : MemoryMessages.of(event)) {
      send(message);
    }
  }

  private void fromClient(String text) {
    try {
      if ("ping".equals(new JsonObject(text).getValue("type"))) {
        send(MemoryMessages.pong());
      }
    } catch (DecodeException e) {
      // clients send only ping and pong; anything else is ignored, as the reference server does
    }
  }

  private void send(String message) {
    if (closing) {
      return;
    }
    if (ws.writeQueueFull()) {
      counters.droppedSlow();
      LOG.warn("dropping a live socket of tenant {}: more than {} bytes waiting", tenant, config.maxQueuedBytes());
      close(SLOW_CONSUMER, "slow consumer");
      return;
    }
    ws.writeTextMessage(message);
  }

  /** Closes the socket because its API key is no longer valid: nothing more is sent but the close frame. */
  void revoke() {
    if (!closing) {
      counters.endedRevoked();
      close(MemorySocketHandler.INVALID_KEY, "API key revoked");
    }
  }

  boolean closing() {
    return closing;
  }

  /** Sends the close frame after what is queued; a client that does not read it in time is cut off. */
  private void close(short code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    stopListening();
    ws.close(code, reason);
    vertx.setTimer(ForcedClose.GRACE_MS, t -> {
      if (!closed) {
        ForcedClose.webSocket(ws);
      }
    });
  }

  private void closed() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    stopListening();
    counters.closed(tenant);
  }

  private void stopListening() {
    if (ping >= 0) {
      vertx.cancelTimer(ping);
      ping = -1;
    }
    if (changes != null) {
      changes.unregister();
    }
  }
}
