package io.syncnode.protocol;

import java.time.Instant;

/** A link between two entities. Its identity is (from_id, to_id, relation); {@link #id()} is derived from it. */
public record Edge(
    VectorClock vectorClock,
    String contentHash,
    Instant deletedAt,
    Instant createdAt,
    Instant updatedAt,
    String lastModifiedBy,
    String fromId,
    String toId,
    String relation,
    double weight,
    String createdBy,
    RawJson metadata) implements SyncEntity {

  /** The wire id of an edge: {@code from_id:to_id:relation}. */
  public static String idOf(String fromId, String toId, String relation) {
    return fromId + ":" + toId + ":" + relation;
  }

  @Override
  public String id() {
    return idOf(fromId, toId, relation);
  }

  @Override
  public EntityType entityType() {
    return EntityType.EDGE;
  }

  @Override
  public String conflictContent() {
    return null;
  }
}
