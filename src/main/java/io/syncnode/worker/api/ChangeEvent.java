package io.syncnode.worker.api;

import io.syncnode.protocol.EntityType;
import io.syncnode.worker.api.ChangeOp;
import java.util.List;

/**
 * A change event as a node hands it to its own live listeners: {@code ids[i]} took feed position
 * {@code positions[i]}, and {@code ops[i]} is what happened to it.
 */
public record ChangeEvent(String tenant, EntityType type, List<String> ids, List<ChangeOp> ops, long[] positions) {
  /** The highest feed position the event names. */
  public long lastPosition() {
    long last = 0;
    for (long position : positions) {
      last = Math.max(last, position);
    }
    return last;
  }
}
