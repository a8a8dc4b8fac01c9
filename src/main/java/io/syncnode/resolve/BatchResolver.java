package io.syncnode.resolve;

import io.syncnode.protocol.Responses.ConflictInfo;
import io.syncnode.protocol.SyncEntity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides a whole batch against the stored versions read for it. Entities are taken in request
 * order, and an id sent twice is decided the second time against what the first accepted, as if
 * the two had been pushed one after the other.
 */
public final class BatchResolver {
  private BatchResolver() {}

  /**
   * @param stored the stored versions of the batch's entities, by {@code key}
   * @param key an entity's identity within its table
   */
  public static <E extends SyncEntity> BatchResolution<E> resolve(
      List<E> entities, Map<String, StoredVersion> stored, Function<E, String> key, String deviceId, boolean force) {
    Map<String, StoredVersion> current = new HashMap<>(stored);
    Map<String, BatchResolution.Write<E>> writes = new LinkedHashMap<>();
    List<ConflictInfo> conflicts = new ArrayList<>();
    List<E> acceptedEntities = new ArrayList<>();
    int accepted = 0;
    int rejected = 0;
    for (E entity : entities) {
      String id = key.apply(entity);
      StoredVersion version = current.get(id);
      Decision decision = VerdictFunction.decide(
          version == null ? null : version.clock(), entity.vectorClock(), deviceId, force);
      switch (decision.verdict()) {
        case ACCEPTED -> {
          accepted++;
          acceptedEntities.add(entity);
          boolean insert = !stored.containsKey(id);
          writes.remove(id);
          writes.put(id, new BatchResolution.Write<>(entity, decision.clockToStore(), insert));
          current.put(id,
              new StoredVersion(decision.clockToStore(), entity.conflictContent(), entity.updatedAt()));
        }
        case REJECTED -> rejected++;
        case CONFLICT -> conflicts.add(new ConflictInfo(
            entity.id(), entity.entityType(), entity.vectorClock(), version.clock(),
            entity.conflictContent(), version.conflictContent(), entity.updatedAt(), version.updatedAt()));
      }
    }
    return new BatchResolution<>(accepted, rejected, conflicts, new ArrayList<>(writes.values()), acceptedEntities);
  }
}
