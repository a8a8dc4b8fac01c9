package io.syncnode.worker.api;

import java.time.Instant;
import java.util.List;

/**
 * A window of the change feed: changes with positions after {@code after} and below (or up to)
 * {@code bound}, changed after {@code since} if given, in the given namespaces if any; without the
 * changes of the {@code skip} transactions (already served). A read of rows with {@code aboveFrom}
 * above 0 also reads every change at or above it, however high.
 *
 * <p>With a {@code device} (a pull by {@code since_timestamp}), a change the {@code since} filter
 * leaves out is served all the same when its position is after {@code devicePosition}, the
 * position the device has pulled up to, and its latest version is not the device's own: see
 * {@link io.syncnode.protocol.Requests.Pull}.
 */
public record FeedQuery(String tenant, long after, long bound, Instant since, List<String> namespaceIds,
    String device, long devicePosition, long[] skip, long aboveFrom) {

  public FeedQuery(String tenant, long after, long bound, Instant since, List<String> namespaceIds) {
    this(tenant, after, bound, since, namespaceIds, null, 0, null, 0);
  }

  /** Positions above the bound read per type: far more than writers commit while one holds the bound for long. */
  public static final int ABOVE_LIMIT = 100_000;

  /** The window of the changes stored at or above the bound, read up to {@link #ABOVE_LIMIT} of them. */
  public FeedQuery aboveBound() {
    return between(Math.max(after, bound - 1), Long.MAX_VALUE);
  }

  /** The same window between other positions. */
  public FeedQuery between(long newAfter, long newBound) {
    return new FeedQuery(tenant, newAfter, newBound, since, namespaceIds, device, devicePosition, skip, aboveFrom);
  }

  /** The same window, skipping the changes of {@code transactions} and reading from {@code from} up too. */
  public FeedQuery skippingAndAbove(long[] transactions, long from) {
    return new FeedQuery(tenant, after, bound, since, namespaceIds, device, devicePosition, transactions, from);
  }

  public boolean withAbove() {
    return aboveFrom > 0;
  }
}
