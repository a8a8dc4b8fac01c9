package io.syncnode.protocol;

import java.time.Instant;
import java.util.List;

/** A memory (fact, decision, ...) as the protocol carries it. Defaults are applied by the parser. */
public record Memory(
    String id,
    VectorClock vectorClock,
    String contentHash,
    Instant deletedAt,
    Instant createdAt,
    Instant updatedAt,
    String lastModifiedBy,
    String content,
    String type,
    List<String> tags,
    String summary,
    String namespaceId,
    String repoUrl,
    String repoName,
    String relativePath,
    String sourceFile,
    String sourceRepo,
    String sourceTool,
    String project,
    String sessionId,
    RawJson metadata,
    float[] embedding,
    Boolean encrypted,
    String visibility) implements SyncEntity {

  @Override
  public EntityType entityType() {
    return EntityType.MEMORY;
  }

  @Override
  public String conflictContent() {
    return content;
  }
}
