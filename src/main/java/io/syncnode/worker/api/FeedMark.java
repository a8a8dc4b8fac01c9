package io.syncnode.worker.api;

import java.time.Instant;

/**
 * The feed's safe end: positions below {@code positionBound} are final; {@code nextPosition} is
 * where transactions that had no xid when the bound was read start, so rows from
 * {@code positionBound} up to it were written by transactions that had started by then; and the
 * time to resume from.
 */
public record FeedMark(long positionBound, long nextPosition, Instant time) {
  /** Whether a running writer holds the bound below the next transaction's position. */
  public boolean held() {
    return positionBound < nextPosition;
  }
}
