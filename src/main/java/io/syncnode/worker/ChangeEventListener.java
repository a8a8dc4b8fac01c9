package io.syncnode.worker;

import io.syncnode.worker.api.Addresses;
import io.syncnode.worker.api.ChangeEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one listener of the cluster's change events: it counts them and hands each to this
 * node's live listeners of its tenant, on the node-local address {@link Addresses#changesOf}.
 */
public final class ChangeEventListener extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeEventListener.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

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
      ChangeEvent event = ChangeEvents.decode(message.body());
      if (event == null) {
        LOG.warn("ignored a change event this node cannot read: {}", message.body());
        return;
      }
      events.incrementAndGet();
      changes.addAndGet(event.ids().size());
      if (LOG.isDebugEnabled()) {
        LOG.debug("change: tenant {} {} x{} up to position {}", event.tenant(), event.type().singular(),
            event.ids().size(), event.lastPosition());
      }
      vertx.eventBus().publish(Addresses.changesOf(event.tenant()), event, LOCAL);
    });
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}
