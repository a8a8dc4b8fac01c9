package io.syncnode.protocol;

import java.time.Instant;

/** Fields every synced entity carries (the protocol's SyncableEntity). */
public sealed interface SyncEntity permits Memory, Session, Edge {
  EntityType entityType();

  String id();

  VectorClock vectorClock();

  String contentHash();

  Instant deletedAt();

  Instant createdAt();

  Instant updatedAt();

  String lastModifiedBy();

  /** Any JSON object the client attached, as its text. */
  RawJson metadata();

  /** What ConflictInfo reports as this entity's content: memory content, session summary, nothing for edges. */
  String conflictContent();
}
