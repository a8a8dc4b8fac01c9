package io.syncnode.store;

import java.time.Instant;
import java.util.List;

/**
 * A window of the change feed: changes with positions after {@code after} and below (or up to)
 * {@code bound}, changed after {@code since} if given, in the given namespaces if any; without the
 * changes of the {@code skip} transactions (already served). A read of rows with {@code aboveFrom}
 * above 0 also reads every change at or above it, however high.
 */
public record FeedQuery(String tenant, long after, long bound, Instant since, List<String> namespaceIds,
    long[] skip, long aboveFrom) {

  public FeedQuery(String tenant, long after, long bound, Instant since, List<String> namespaceIds) {
    this(tenant, after, bound, since, namespaceIds, null, 0);
  }

  public boolean withAbove() {
    return aboveFrom > 0;
  }
}
