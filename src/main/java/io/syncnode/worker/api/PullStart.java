package io.syncnode.worker.api;

/**
 * Where a pull by time may start reading the feed. A pull by time serves the rows changed after its
 * since, and the rows other devices changed after the position the device has pulled up to
 * ({@code pulledUpTo}, 0 if it never pulled). Below {@code markedBound}, the bound of the last feed
 * mark at or before since (0 if there is none), nothing changed after since; so neither kind of row
 * lies at or below {@link #scanAfter()}.
 */
public record PullStart(long pulledUpTo, long markedBound) {
  /** The position every row the pull serves lies above. */
  public long scanAfter() {
    return Math.max(0, Math.min(markedBound - 1, pulledUpTo));
  }
}
