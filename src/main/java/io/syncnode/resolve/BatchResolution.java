package io.syncnode.resolve;

import io.syncnode.protocol.Responses.ConflictInfo;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.VectorClock;
import java.util.List;

/**
 * The outcome of resolving one batch of one entity type: counts, conflicts, and the rows to write
 * (one per id, the last accepted version).
 */
public record BatchResolution<E extends SyncEntity>(
    int accepted, int rejected, List<ConflictInfo> conflicts, List<Write<E>> writes, List<E> acceptedEntities) {

  /** An accepted entity with the clock to store; {@code insert} when the id was not stored before the batch. */
  public record Write<E extends SyncEntity>(E entity, VectorClock clock, boolean insert) {}
}
