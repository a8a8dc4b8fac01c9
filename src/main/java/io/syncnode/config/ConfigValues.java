package io.syncnode.config;

import io.vertx.core.json.Json;

/** Values quoted in configuration errors as JSON writes them: {@code "9000"} for a string, 9000 for a number. */
final class ConfigValues {
  private ConfigValues() {}

  static String quote(Object value) {
    try {
      return Json.encode(value);
    } catch (RuntimeException notJson) {
      return String.valueOf(value);
    }
  }
}
