package io.syncnode.worker.api;

import io.vertx.core.Future;

/** The key worker, reached over the local event bus. */
final class KeyClient implements KeyApi {
  private final BusRequests bus;

  KeyClient(BusRequests bus) {
    this.bus = bus;
  }

  @Override
  public Future<StoredKey> find(String keyId) {
    return bus.request(Addresses.KEY_FIND, keyId);
  }

  @Override
  public Future<String> encryptionSalt(String tenant) {
    return bus.request(Addresses.ENCRYPTION_SALT, tenant);
  }
}
