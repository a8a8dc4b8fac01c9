package io.syncnode.protocol;

import java.time.Instant;
import java.util.List;

/** The decoded request bodies of the sync endpoints. */
public final class Requests {
  private Requests() {}

  public record Register(String deviceId, String deviceName, String platform, String clientVersion) {}

  public record Push(String deviceId, List<Memory> memories, List<Session> sessions, List<Edge> edges, boolean force) {
    public int size() {
      return memories.size() + sessions.size() + edges.size();
    }
  }

  /**
   * A pull. {@code offset} is a resume position in the server's order of changes: 0 starts from the
   * beginning, and the {@code next_offset} of a page continues after it. With a {@code cursor}
   * (its decoded position here, or null), the pull continues after the cursor and since/offset
   * are not used. {@code served} are the transactions above the cursor's position whose changes
   * were already sent (see FeedCursor), or null.
   */
  public record Pull(String deviceId, Instant since, List<String> namespaceIds, int limit, long offset, Long cursor,
      long[] served) {
    public Pull(String deviceId, Instant since, List<String> namespaceIds, int limit, long offset, Long cursor) {
      this(deviceId, since, namespaceIds, limit, offset, cursor, null);
    }

    /** Where this pull starts: after the cursor if it has one, else after the offset. */
    public long after() {
      return cursor != null ? cursor : offset;
    }

    /** The since_timestamp filter, which a cursor makes unnecessary. */
    public Instant sinceFilter() {
      return cursor != null ? null : since;
    }
  }

  public record Status(String deviceId) {}

  /** One entry of a diff manifest. */
  public record ManifestEntry(String id, String contentHash, Instant updatedAt, Instant deletedAt) {}

  public record Diff(
      String deviceId,
      List<ManifestEntry> memories,
      List<ManifestEntry> sessions,
      List<ManifestEntry> edges,
      List<String> namespaceIds) {}

  /** A Merkle summary request; {@code buckets} (0..255), if given, asks for those buckets' entries too. */
  public record Merkle(String deviceId, List<String> namespaceIds, int[] buckets) {}
}
