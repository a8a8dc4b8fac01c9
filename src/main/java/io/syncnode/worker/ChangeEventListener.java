package io.syncnode.worker;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hears the change events of every node of the cluster; for now it logs them at debug level and counts them. */
public final class ChangeEventListener extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeEventListener.class);

  private final AtomicLong events;
  private final AtomicLong changes;
  private MessageConsumer<JsonObject> consumer;

  /** {@code events} counts the events heard, {@code changes} the entity changes they carry. */
  public ChangeEventListener(AtomicLong events, AtomicLong changes) {
    this.events = events;
    this.changes = changes;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.CHANGES, message -> {
      JsonObject event = message.body();
      events.incrementAndGet();
      changes.addAndGet(event.getJsonArray("ids").size());
      if (LOG.isDebugEnabled()) {
        LOG.debug("change: tenant {} {} x{} at positions {}", event.getString("tenant"), event.getString("type"),
            event.getJsonArray("ids").size(), event.getJsonArray("positions"));
      }
    });
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}
