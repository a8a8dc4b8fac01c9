package io.syncnode.resolve;

import io.syncnode.protocol.VectorClock;

/** The protocol's conflict rule for one entity, comparing the pushed clock with the stored one. */
public final class VerdictFunction {
  private VerdictFunction() {}

  /**
   * @param stored the stored clock, or null when the id is not stored
   * @param client the clock the client pushed
   * @param deviceId the pushing device
   * @param force the client asks to overwrite whatever is stored
   */
  public static Decision decide(VectorClock stored, VectorClock client, String deviceId, boolean force) {
    if (stored == null) {
      return Decision.accepted(client.increment(deviceId));
    }
    if (force) {
      return Decision.accepted(client.merge(stored));
    }
    return switch (stored.compareTo(client)) {
      case BEFORE, EQUAL -> Decision.accepted(client.merge(stored));
      case AFTER -> Decision.REJECTED;
      case CONCURRENT -> Decision.CONFLICT;
    };
  }
}
