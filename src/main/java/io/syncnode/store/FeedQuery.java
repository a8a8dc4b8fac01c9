package io.syncnode.store;

import java.time.Instant;
import java.util.List;

/**
 * A window of the change feed: changes with positions after {@code after} and below (or up to)
 * {@code bound}, changed after {@code since} if given, in the given namespaces if any.
 */
public record FeedQuery(String tenant, long after, long bound, Instant since, List<String> namespaceIds) {}
