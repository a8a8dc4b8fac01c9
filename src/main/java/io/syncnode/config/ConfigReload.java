package io.syncnode.config;

import java.util.List;

/**
 * What a reload did: the configuration before and after, the keys it changed, and the keys whose
 * new value waits for a restart (their old value stays in force).
 */
public record ConfigReload(NodeConfig previous, NodeConfig current, List<Change> changed, List<Change> needRestart) {

  /** One key whose value differs in the file or environment read now. */
  public record Change(String key, Object from, Object to) {
    /** The values as they may be logged: secrets are not. */
    public String describe() {
      boolean secret = key.toLowerCase(java.util.Locale.ROOT).contains("password");
      return key + " from " + (secret ? "(hidden)" : show(from)) + " to " + (secret ? "(hidden)" : show(to));
    }

    private static String show(Object value) {
      return value instanceof String s ? io.vertx.core.json.Json.encode(s) : String.valueOf(value);
    }
  }
}
