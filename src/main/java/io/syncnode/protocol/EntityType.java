package io.syncnode.protocol;

/** The three kinds of synced entity, with the names the wire protocol uses for them. */
public enum EntityType {
  MEMORY("memory", "memories"),
  SESSION("session", "sessions"),
  EDGE("edge", "edges");

  private final String singular;
  private final String plural;

  EntityType(String singular, String plural) {
    this.singular = singular;
    this.plural = plural;
  }

  /** As in ConflictInfo.entity_type. */
  public String singular() {
    return singular;
  }

  /** As the request and response list fields are named. */
  public String plural() {
    return plural;
  }
}
