package io.syncnode.worker;

import io.syncnode.protocol.EntityType;
import io.syncnode.worker.api.Addresses;
import io.syncnode.worker.api.ChangeEvent;
import io.syncnode.worker.api.ChangeOp;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The event published cluster-wide after a batch commits, so that every node knows of every
 * change: {@code {tenant, type, ids: [...], ops: [...], positions: [...]}}, positions in the feed's
 * order and {@code ops[i]} ({@code created}, {@code updated}, {@code deleted}) what the write did
 * to {@code ids[i]}. It crosses the wire, so it is plain JSON.
 */
public final class ChangeEvents {
  private ChangeEvents() {}

  public static void publish(EventBus bus, String tenant, EntityType type, List<String> ids, long[] positions,
      List<ChangeOp> ops) {
    JsonArray positionList = new JsonArray();
    for (long position : positions) {
      positionList.add(position);
    }
    JsonArray opList = new JsonArray();
    for (ChangeOp op : ops) {
      opList.add(op.wireName());
    }
    bus.publish(Addresses.CHANGES, new JsonObject()
        .put("tenant", tenant)
        .put("type", type.singular())
        .put("ids", new JsonArray(List.copyOf(ids)))
        .put("ops", opList)
        .put("positions", positionList));
  }

  /**
   * Reads an event as published, or null if it is not one (another version of the node may
   * publish more). An event without an op for an id says {@code updated} for it.
   */
  public static ChangeEvent decode(JsonObject event) {
    try {
      EntityType type = typeOf(event.getString("type"));
      String tenant = event.getString("tenant");
      JsonArray ids = event.getJsonArray("ids");
      JsonArray positions = event.getJsonArray("positions");
      if (type == null || tenant == null || ids == null || positions == null || positions.size() != ids.size()) {
        return null;
      }
      JsonArray opList = event.getJsonArray("ops");
      List<String> idList = new ArrayList<>(ids.size());
      List<ChangeOp> ops = new ArrayList<>(ids.size());
      long[] positionArray = new long[ids.size()];
      for (int i = 0; i < ids.size(); i++) {
        idList.add(ids.getString(i));
        positionArray[i] = positions.getLong(i);
        ChangeOp op = opList == null || i >= opList.size() ? null : ChangeOp.fromWire(opList.getString(i));
        ops.add(op == null ? ChangeOp.UPDATED : op);
      }
      return new ChangeEvent(tenant, type, List.copyOf(idList), List.copyOf(ops), positionArray);
    } catch (ClassCastException | NullPointerException e) {
      return null;
    }
  }

  private static EntityType typeOf(String singular) {
    for (EntityType type : EntityType.values()) {
      if (type.singular().equals(singular)) {
        return type;
      }
    }
    return null;
  }
}
