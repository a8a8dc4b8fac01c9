package io.syncnode.worker.api;

import io.vertx.core.Future;

/** What the key worker does: API keys by id, and tenants' encryption salts. */
public interface KeyApi {
  /** The stored key with that id, or null. */
  Future<StoredKey> find(String keyId);

  /** The tenant's end-to-end encryption salt, or null when it has none. */
  Future<String> encryptionSalt(String tenant);
}
