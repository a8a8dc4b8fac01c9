package io.syncnode.cluster;

import io.syncnode.protocol.EntityType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** The lock stripes of a batch: tenant, entity type and a hash of each entity's key. */
public final class StripeKeys {
  private StripeKeys() {}

  /** Sorted and distinct, so that every caller claims stripes in the same order. */
  public static List<String> of(String tenant, EntityType type, Collection<String> entityKeys, int stripes) {
    TreeSet<String> keys = new TreeSet<>();
    for (String key : entityKeys) {
      // String.hashCode is specified, so every node maps an id to the same stripe.
      keys.add(tenant + "/" + type.plural() + "/" + Math.floorMod(key.hashCode(), stripes));
    }
    return new ArrayList<>(keys);
  }
}
