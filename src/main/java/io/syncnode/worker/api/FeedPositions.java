package io.syncnode.worker.api;

/**
 * The positions of one type's changes in a feed window, in order, and when asked for, those of its
 * changes stored at or above the window's bound.
 */
public record FeedPositions(long[] inWindow, long[] aboveBound) {
  public static final long[] NONE = new long[0];
}
