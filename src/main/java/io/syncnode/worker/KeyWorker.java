package io.syncnode.worker;

import io.syncnode.store.KeyStore;
import io.syncnode.worker.api.KeyApi;
import io.syncnode.worker.api.StoredKey;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;

/** The actor that owns the API keys and encryption salts: looks keys up by id, and tenants' salts. */
public final class KeyWorker extends VerticleBase implements KeyApi {
  private final KeyStore keys;
  private List<MessageConsumer<?>> consumers = List.of();

  public KeyWorker(KeyStore keys) {
    this.keys = keys;
  }

  @Override
  public Future<?> start() {
    consumers = Bindings.keys(vertx.eventBus(), this);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<StoredKey> find(String keyId) {
    return keys.find(keyId);
  }

  @Override
  public Future<String> encryptionSalt(String tenant) {
    return keys.encryptionSalt(tenant);
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
