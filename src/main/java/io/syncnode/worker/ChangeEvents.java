package io.syncnode.worker;

import io.syncnode.protocol.EntityType;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The event published cluster-wide after a batch commits, so that every node knows of every
 * change: {@code {tenant, type, ids: [...], positions: [...]}}, positions in the feed's order.
 * It crosses the wire, so it is plain JSON.
 */
public final class ChangeEvents {
  private ChangeEvents() {}

  public static void publish(EventBus bus, String tenant, EntityType type, List<String> ids, long[] positions) {
    JsonArray positionList = new JsonArray();
    for (long position : positions) {
      positionList.add(position);
    }
    bus.publish(Addresses.CHANGES, new JsonObject()
        .put("tenant", tenant)
        .put("type", type.singular())
        .put("ids", new JsonArray(List.copyOf(ids)))
        .put("positions", positionList));
  }
}
