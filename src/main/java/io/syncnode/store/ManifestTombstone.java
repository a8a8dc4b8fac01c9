package io.syncnode.store;

import java.time.Instant;
import java.util.List;

/**
 * A diff manifest's entry with {@code deleted_at} for a row the server holds alive: the row's key
 * values (in {@link EntityTable#keyColumns()} order) and wire id, and what the device's manifest
 * said of the version it deleted.
 */
public record ManifestTombstone(List<String> key, String id, String contentHash, Instant updatedAt, Instant deletedAt) {
  /** The key as {@link EntityTable#key(io.syncnode.protocol.SyncEntity)} joins it: what lock stripes hash. */
  public String joinedKey() {
    return key.size() == 1 ? key.get(0) : String.join("\u0000", key);
  }
}
