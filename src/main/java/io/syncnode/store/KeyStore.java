package io.syncnode.store;

import io.syncnode.worker.api.StoredKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** The API keys a node checks requests against (read only: keys are managed with {@code admin}). */
public final class KeyStore {
  private static final String FIND =
      "SELECT tenant_id, secret_hash, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE key_id = $1";

  private static final String SALT = "SELECT salt FROM encryption_salts WHERE tenant_id = $1";

  private final Pool pool;
  private final java.util.concurrent.atomic.AtomicLong lookups = new java.util.concurrent.atomic.AtomicLong();

  public KeyStore(Pool pool) {
    this.pool = pool;
  }

  /** The tenant's end-to-end encryption salt, or null when the tenant has none. */
  public Future<String> encryptionSalt(String tenant) {
    return pool.preparedQuery(SALT).execute(Tuple.of(tenant))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** Lookups made since start. */
  public long lookups() {
    return lookups.get();
  }

  /** The key with this id, or null. */
  public Future<StoredKey> find(String keyId) {
    lookups.incrementAndGet();
    return pool.preparedQuery(FIND).execute(Tuple.of(keyId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      Buffer hash = row.getBuffer("secret_hash");
      return new StoredKey(row.getString("tenant_id"), hash.getBytes(), row.getBoolean("revoked"));
    });
  }
}
