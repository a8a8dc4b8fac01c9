package io.syncnode.protocol;

import java.time.Instant;
import java.util.List;

/** The decoded request bodies of the sync endpoints. */
public final class Requests {
  private Requests() {}

  public record Register(String deviceId, String deviceName, String platform, String clientVersion) {}

  /** A push read whole; {@code rejected} are the entities that break a per-item limit, in body order. */
  public record Push(String deviceId, List<Memory> memories, List<Session> sessions, List<Edge> edges, boolean force,
      List<Responses.RejectedItem> rejected) {
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

    /**
     * A pull by {@code since_timestamp} (no cursor), the way contextfs clients pull. Such a client
     * stores the {@code server_timestamp} of its pushes as its next {@code since_timestamp}, for its
     * next push and its next pull alike, so the server answers each push with the time of the push:
     * everything the push stored was changed (by the client's own times) before it, and the next
     * push does not send it again. The next pull then asks for changes after the push, while other
     * devices may have changed rows before it, after the device last pulled. So a pull by time
     * serves, besides the rows changed after {@code since}, every row whose position is after the
     * one the device has pulled (or diffed) up to and whose latest version is not the device's own:
     * <ul>
     *   <li>a row another device wrote after the device's last pull has a position after it, and
     *   its latest version is not the device's: it is served, whatever its time;</li>
     *   <li>a row whose latest version is the device's own push is left out of that extension: the
     *   device holds that version already (it is served if it changed after {@code since});</li>
     *   <li>a row at or before the pulled position was served by that pull or an earlier one (the
     *   position recorded is the end of what a pull served, or the feed's safe bound when it
     *   served everything below it), so nothing before it is missed either.</li>
     * </ul>
     * The pulled position moves only forward, at the end of each page served, so the pages of one
     * paging loop filter alike: rows after the page's end are past both positions.
     */
    public boolean byTime() {
      return cursor == null && since != null;
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
