package io.syncnode.protocol;

import java.time.Instant;

/** A working session of an assistant, as the protocol carries it. */
public record Session(
    String id,
    VectorClock vectorClock,
    String contentHash,
    Instant deletedAt,
    Instant createdAt,
    Instant updatedAt,
    String lastModifiedBy,
    String label,
    String namespaceId,
    String tool,
    String repoUrl,
    String repoName,
    String repoPath,
    String branch,
    Instant startedAt,
    Instant endedAt,
    String summary,
    RawJson metadata) implements SyncEntity {

  @Override
  public EntityType entityType() {
    return EntityType.SESSION;
  }

  @Override
  public String conflictContent() {
    return summary;
  }
}
