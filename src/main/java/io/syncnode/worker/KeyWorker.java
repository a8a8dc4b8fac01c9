package io.syncnode.worker;

import io.syncnode.store.KeyStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/** The actor that owns the API keys table: looks keys up by id for the HTTP verticles. */
public final class KeyWorker extends VerticleBase {
  private final KeyStore keys;
  private MessageConsumer<String> consumer;

  public KeyWorker(KeyStore keys) {
    this.keys = keys;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(Addresses.KEY_FIND, message ->
        Replies.reply(message, keys.find(message.body())));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}
