package io.syncnode.worker.api;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The first rows of one type's feed window, read in one statement: at most as many as asked for,
 * first those below the window's bound, then (when fewer were found there) those at or above it.
 * {@code positions} holds their positions in order, the first {@code belowBound} of them below the
 * bound; {@code complete}: the window holds no rows beyond these. {@code json} writes the first n
 * rows as protocol JSON, the inside of an array, only when asked for: rows a page does not serve
 * are not written.
 */
public record FeedRows(long[] positions, int belowBound, boolean complete, IntFunction<Buffer> json) {
  public long[] positionsBelow() {
    return belowBound == positions.length ? positions : Arrays.copyOf(positions, belowBound);
  }

  /** The rows below the bound up to position {@code end}; null if none. */
  public FeedJson upTo(long end) {
    int count = 0;
    while (count < belowBound && positions[count] <= end) {
      count++;
    }
    return count == 0 ? null : new FeedJson(json.apply(count), FeedPositions.NONE);
  }

  /** Every row read, with the positions of those above the bound; null if none. */
  public FeedJson all() {
    return positions.length == 0 ? null
        : new FeedJson(json.apply(positions.length), Arrays.copyOfRange(positions, belowBound, positions.length));
  }
}
