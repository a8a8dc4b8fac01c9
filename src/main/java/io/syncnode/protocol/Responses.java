package io.syncnode.protocol;

import java.time.Instant;
import java.util.List;

/** Parts of responses that are built from stored state. */
public final class Responses {
  private Responses() {}

  public record DeviceInfo(
      String deviceId,
      String deviceName,
      String platform,
      String clientVersion,
      Instant registeredAt,
      Instant lastSyncAt,
      Instant syncCursor) {}

  public record ConflictInfo(
      String entityId,
      EntityType entityType,
      VectorClock clientClock,
      VectorClock serverClock,
      String clientContent,
      String serverContent,
      Instant clientUpdatedAt,
      Instant serverUpdatedAt) {}

  /** SyncItemSummary: what newer clients show of each accepted memory. */
  public record PushedItem(String id, String type, String summary, String namespaceId) {}

  /** Accepted and rejected counts of one entity type in a push. */
  public record TypeCounts(int accepted, int rejected) {
    public static final TypeCounts NONE = new TypeCounts(0, 0);
  }

  public record Push(
      TypeCounts memories,
      TypeCounts sessions,
      TypeCounts edges,
      List<ConflictInfo> conflicts,
      List<PushedItem> pushedItems,
      Instant serverTimestamp) {
    public int accepted() {
      return memories.accepted() + sessions.accepted() + edges.accepted();
    }

    public int rejected() {
      return memories.rejected() + sessions.rejected() + edges.rejected();
    }

    /** "conflict" if any conflict, else "partial" if any rejected, else "success". */
    public String status() {
      return !conflicts.isEmpty() ? "conflict" : rejected() > 0 ? "partial" : "success";
    }
  }

  /** Changes of other devices not pulled yet, per type; the protocol's pending_pull_count is the memories'. */
  public record Status(String deviceId, Instant lastSyncAt, long pendingMemories, long pendingSessions,
      long pendingEdges, Instant serverTimestamp) {}

}
