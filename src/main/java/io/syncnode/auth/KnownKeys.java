package io.syncnode.auth;

import io.syncnode.worker.api.StoredKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the node last read of each API key id, unknown ids included, shared by its HTTP verticles:
 * a key presented again within auth.cacheTtlMs costs no database lookup, whoever presents it.
 */
public final class KnownKeys {
  private static final int MAX_ENTRIES = 100_000;

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier cacheTtlMs;

  /** A lookup's result ({@code key} null: no such key id) and when it was read. */
  record Entry(StoredKey key, long readAt) {}

  /** {@code cacheTtlMs} is read at each use, so that a reloaded auth.cacheTtlMs applies at once. */
  public KnownKeys(LongSupplier cacheTtlMs) {
    this.cacheTtlMs = cacheTtlMs;
  }

  long ttlNanos() {
    return TimeUnit.MILLISECONDS.toNanos(cacheTtlMs.getAsLong());
  }

  /** What was read of {@code keyId} less than {@code maxAgeNanos} ago, or null. */
  Entry get(String keyId, long maxAgeNanos) {
    Entry entry = entries.get(keyId);
    return entry != null && System.nanoTime() - entry.readAt() < maxAgeNanos ? entry : null;
  }

  void put(String keyId, StoredKey key, long readAt) {
    if (entries.size() >= MAX_ENTRIES) {
      long now = System.nanoTime();
      long ttlNanos = ttlNanos();
      entries.values().removeIf(entry -> now - entry.readAt() >= ttlNanos);
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.merge(keyId, new Entry(key, readAt), (old, fresh) -> fresh.readAt() - old.readAt() >= 0 ? fresh : old);
  }
}
