package io.syncnode.worker.api;

import java.util.Locale;

/** What a push did to one entity, as live listeners are told. */
public enum ChangeOp {
  CREATED, UPDATED, DELETED;

  /** A version written as a tombstone is a deletion, whether or not its id was stored before. */
  public static ChangeOp of(boolean inserted, boolean tombstone) {
    return tombstone ? DELETED : inserted ? CREATED : UPDATED;
  }

  /** As change events carry it: {@code created}, {@code updated}, {@code deleted}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The op of a wire name; null for a name this node does not know. */
  public static ChangeOp fromWire(String name) {
    for (ChangeOp op : values()) {
      if (op.wireName().equals(name)) {
        return op;
      }
    }
    return null;
  }
}
