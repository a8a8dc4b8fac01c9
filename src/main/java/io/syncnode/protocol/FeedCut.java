package io.syncnode.protocol;

/**
 * Where a page of the change feed ends. {@code hasMore}: the window holds more than the page;
 * {@code end}: the position of the page's last change (the page's start when it is empty);
 * {@code cursor}: where the next page starts, which once the feed is drained is just below the
 * bound: everything below it has been served.
 */
public record FeedCut(boolean hasMore, long end, long cursor) {
  /**
   * Cuts a page of at most {@code limit} changes from {@code positions}, the sorted positions of the
   * changes after {@code after} and below {@code bound} (at least {@code limit + 1} of them when
   * there are that many).
   */
  public static FeedCut of(long[] positions, int limit, long after, long bound) {
    boolean hasMore = positions.length > limit;
    long end = hasMore ? positions[limit - 1] : positions.length > 0 ? positions[positions.length - 1] : after;
    return new FeedCut(hasMore, end, hasMore ? end : Math.max(end, bound - 1));
  }

  /** How many changes the page holds. */
  public int size(long[] positions, int limit) {
    return hasMore ? limit : positions.length;
  }
}
