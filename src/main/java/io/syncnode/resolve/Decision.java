package io.syncnode.resolve;

import io.syncnode.protocol.VectorClock;

/** A verdict and, when accepted, the clock to store with the entity. */
public record Decision(Verdict verdict, VectorClock clockToStore) {
  static Decision accepted(VectorClock clock) {
    return new Decision(Verdict.ACCEPTED, clock);
  }

  static final Decision REJECTED = new Decision(Verdict.REJECTED, null);
  static final Decision CONFLICT = new Decision(Verdict.CONFLICT, null);
}
