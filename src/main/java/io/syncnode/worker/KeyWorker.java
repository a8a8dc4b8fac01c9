package io.syncnode.worker;

import io.syncnode.worker.api.Addresses;

import io.syncnode.store.KeyStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/** The actor that owns the API keys and encryption salts: looks keys up by id, and tenants' salts. */
public final class KeyWorker extends VerticleBase {
  private final KeyStore keys;
  private MessageConsumer<String> consumer;
  private MessageConsumer<String> salts;

  public KeyWorker(KeyStore keys) {
    this.keys = keys;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(Addresses.KEY_FIND, message ->
        Replies.reply(message, keys.find(message.body())));
    salts = vertx.eventBus().localConsumer(Addresses.ENCRYPTION_SALT, message ->
        Replies.reply(message, keys.encryptionSalt(message.body())));
    return Future.all(consumer.completion(), salts.completion());
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumer.unregister(), salts.unregister());
  }
}
