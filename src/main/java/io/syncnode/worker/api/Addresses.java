package io.syncnode.worker.api;

import io.syncnode.protocol.EntityType;

/** Every event-bus address of a node. Workers consume them with local consumers. */
public final class Addresses {
  private Addresses() {}

  /**
   * The addresses of one entity type's worker; {@code streams} prefixes the address each worker
   * instance takes for the chunks of its streamed answers.
   */
  public record EntityAddresses(
      String push, String feedPositions, String feedRows, String feedJson, String feedEntries, String countAfter, String diff,
      String manifestDeletes, String merkle, String merkleEntries, String streams) {}

  public static final EntityAddresses MEMORIES = entity("memories");
  public static final EntityAddresses SESSIONS = entity("sessions");
  public static final EntityAddresses EDGES = entity("edges");

  public static final String DEVICE_REGISTER = "syncnode.devices.register";
  public static final String DEVICE_FIND = "syncnode.devices.find";
  public static final String DEVICE_RECORD = "syncnode.devices.record";
  public static final String DEVICE_PULL_START = "syncnode.devices.pull-start";
  public static final String FEED_WATERMARK = "syncnode.feed.watermark";
  public static final String KEY_FIND = "syncnode.keys.find";
  /** Body: the tenant; answered with its encryption salt, or null. */
  public static final String ENCRYPTION_SALT = "syncnode.keys.encryption-salt";
  public static final String READINESS = "syncnode.readiness";

  /** Cluster-wide: every committed batch is published here, and every node listens. */
  public static final String CHANGES = "syncnode.changes";

  /** Node-local: the change events of one tenant, for the node's live listeners of that tenant. */
  public static String changesOf(String tenant) {
    return "syncnode.changes.tenant." + tenant;
  }

  public static EntityAddresses of(EntityType type) {
    return switch (type) {
      case MEMORY -> MEMORIES;
      case SESSION -> SESSIONS;
      case EDGE -> EDGES;
    };
  }

  private static EntityAddresses entity(String plural) {
    String base = "syncnode." + plural + ".";
    return new EntityAddresses(base + "push", base + "feed-positions", base + "feed-rows", base + "feed-json", base + "feed-entries",
        base + "count-after", base + "diff", base + "manifest-deletes", base + "merkle", base + "merkle-entries",
        base + "stream");
  }
}
