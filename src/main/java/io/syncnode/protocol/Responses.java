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

  /**
   * An entity of a push rejected alone because it breaks a per-item limit: its id (null when the
   * id itself is at fault), the path of the offending field, and what is wrong with it.
   */
  public record RejectedItem(String id, EntityType type, String field, String error) {}

  /** Accepted and rejected counts of one entity type in a push. */
  public record TypeCounts(int accepted, int rejected) {
    public static final TypeCounts NONE = new TypeCounts(0, 0);
  }

  /**
   * The counts of a push's answer; its lists (conflicts, pushed_items, rejected_items) are written
   * apart, as the chunks of a push are stored (see ResponseWriter#pushHead).
   */
  public record Push(
      TypeCounts memories,
      TypeCounts sessions,
      TypeCounts edges,
      int conflicts,
      Instant serverTimestamp) {
    public int accepted() {
      return memories.accepted() + sessions.accepted() + edges.accepted();
    }

    public int rejected() {
      return memories.rejected() + sessions.rejected() + edges.rejected();
    }

    /** "conflict" if any conflict, else "partial" if any rejected, else "success". */
    public String status() {
      return conflicts > 0 ? "conflict" : rejected() > 0 ? "partial" : "success";
    }
  }

  /** Changes of other devices not pulled yet, per type; the protocol's pending_pull_count is the memories'. */
  public record Status(String deviceId, Instant lastSyncAt, long pendingMemories, long pendingSessions,
      long pendingEdges, Instant serverTimestamp) {}

}
