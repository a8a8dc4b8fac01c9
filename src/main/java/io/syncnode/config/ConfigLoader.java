package io.syncnode.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the configuration (at start, and again on SIGHUP): the built-in defaults, then a JSON file over them, then
 * environment variables {@code SYNCNODE_<PATH>} over both (path upper-cased, dots as underscores:
 * {@code http.maxBodyBytes} is {@code SYNCNODE_HTTP_MAXBODYBYTES}). Unknown keys are refused.
 */
public final class ConfigLoader {
  public static final String DEFAULTS_RESOURCE = "/syncnode-defaults.json";
  public static final String ENV_PREFIX = "SYNCNODE_";
  /**
   * SYNCNODE_ variables read elsewhere than in the configuration: by bin/syncnode (they may stay
   * exported in a shell that starts nodes by other means). SYNCNODE_LOG_LEVEL is log.level's.
   */
  private static final java.util.Set<String> OTHER_VARIABLES = java.util.Set.of(
      "SYNCNODE_JAR", "SYNCNODE_DEV_PGDATA", "SYNCNODE_DEV_PGBIN");

  private ConfigLoader() {}

  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("built-in defaults missing", e);
    }
  }

  /** Loads and validates; {@code file} may be null for the defaults alone. */
  public static NodeConfig load(Path file, Map<String, String> env) {
    return NodeConfig.from(merged(file, env));
  }

  /** The defaults, the file and the environment merged into one object, checked as {@link #load} checks them. */
  public static JsonObject merged(Path file, Map<String, String> env) {
    JsonObject defaults = defaults();
    JsonObject merged = defaults.copy();
    if (file != null) {
      overlay(defaults, merged, ConfigFile.read(file), "");
    }
    applyEnvironment(defaults, merged, env, "");
    for (String name : env.keySet()) {
      if (name.startsWith(ENV_PREFIX) && !OTHER_VARIABLES.contains(name) && !knownVariable(defaults, name, "")) {
        throw new ConfigException("unknown configuration variable " + name);
      }
    }
    NodeConfig.from(merged);
    return merged;
  }

  /** The levels SYNCNODE_LOG_LEVEL may name (logback's, which would take anything else as DEBUG). */
  public static final java.util.List<String> LOG_LEVELS = java.util.List.of("trace", "debug", "info", "warn", "error",
      "off");

  /** Whether a SYNCNODE_LOG_LEVEL value (null: not set) names a level. */
  public static boolean isLogLevel(String level) {
    return level == null || LOG_LEVELS.contains(level.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * The log format the configuration asks for, read leniently (text when in doubt): lets a
   * configuration that cannot be used be reported in the format its operator expects.
   */
  public static NodeConfig.LogFormat logFormatOf(Path file, Map<String, String> env) {
    String format = env.get(variableName("log.format"));
    if (format == null && file != null) {
      try {
        JsonObject log = ConfigFile.read(file).getJsonObject("log");
        format = log == null ? null : log.getString("format");
      } catch (RuntimeException unusable) {
        format = null;
      }
    }
    return format != null && format.trim().equalsIgnoreCase("json") ? NodeConfig.LogFormat.JSON
        : NodeConfig.LogFormat.TEXT;
  }

  private static void overlay(JsonObject defaults, JsonObject target, JsonObject source, String prefix) {
    for (String key : source.fieldNames()) {
      String path = prefix + key;
      if (!defaults.containsKey(key)) {
        throw new ConfigException("unknown configuration key '" + path + "'");
      }
      Object def = defaults.getValue(key);
      Object value = source.getValue(key);
      if (def instanceof JsonObject defObject) {
        if (!(value instanceof JsonObject valueObject)) {
          throw new ConfigException(path + ": must be a JSON object, got " + ConfigValues.quote(value));
        }
        overlay(defObject, target.getJsonObject(key), valueObject, path + ".");
      } else {
        target.put(key, value);
      }
    }
  }

  private static void applyEnvironment(JsonObject defaults, JsonObject target, Map<String, String> env, String prefix) {
    for (String key : defaults.fieldNames()) {
      String path = prefix + key;
      Object def = defaults.getValue(key);
      if (def instanceof JsonObject defObject) {
        applyEnvironment(defObject, target.getJsonObject(key), env, path + ".");
        continue;
      }
      String raw = env.get(variableName(path));
      if (raw != null) {
        target.put(key, parse(path, variableName(path), raw, def));
      }
    }
  }

  private static boolean knownVariable(JsonObject defaults, String name, String prefix) {
    for (String key : defaults.fieldNames()) {
      String path = prefix + key;
      if (defaults.getValue(key) instanceof JsonObject nested) {
        if (knownVariable(nested, name, path + ".")) return true;
      } else if (variableName(path).equals(name)) {
        return true;
      }
    }
    return false;
  }

  public static String variableName(String path) {
    return ENV_PREFIX + path.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /** An environment value, read as the type of the key's default. */
  private static Object parse(String path, String variable, String raw, Object def) {
    String value = raw.trim();
    if (def instanceof Boolean) {
      if (value.equalsIgnoreCase("true")) return true;
      if (value.equalsIgnoreCase("false")) return false;
      throw new ConfigException(path + " (" + variable + "): must be true or false, got " + ConfigValues.quote(raw));
    }
    if (def instanceof Number) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new ConfigException(path + " (" + variable + "): must be an integer, got " + ConfigValues.quote(raw));
      }
    }
    if (def instanceof JsonArray) {
      JsonArray list = new JsonArray();
      for (String part : value.split(",")) {
        if (!part.isBlank()) list.add(part.trim());
      }
      return list;
    }
    return raw;
  }
}
