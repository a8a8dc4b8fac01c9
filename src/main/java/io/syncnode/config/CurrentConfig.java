package io.syncnode.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The configuration a node runs on now. Parts whose settings may change at run time (see
 * {@link #RELOADABLE}) read them from here on each use, never from a copy taken at start; a
 * reload ({@link #reload}) swaps in the new values of those keys and keeps the others, which only
 * a restart changes.
 */
public final class CurrentConfig {
  /** Keys a reload applies to a running node: each entry a whole section ("limits.") or one key. */
  public static final List<String> RELOADABLE = List.of(
      "limits.", "live.", "auth.rateLimit", "auth.rateBurst", "auth.cacheTtlMs", "log.format", "log.level");

  private record State(JsonObject json, NodeConfig config) {}

  private final AtomicReference<State> state;
  private final List<Consumer<ConfigReload>> listeners = new CopyOnWriteArrayList<>();

  /** {@code json} is the merged configuration that {@code config} was built from. */
  public CurrentConfig(JsonObject json, NodeConfig config) {
    state = new AtomicReference<>(new State(json == null ? null : json.copy(), config));
  }

  /** Loads once with {@link ConfigLoader}, as a node does at start. */
  public static CurrentConfig load(java.nio.file.Path file, Map<String, String> env) {
    JsonObject json = ConfigLoader.merged(file, env);
    return new CurrentConfig(json, NodeConfig.from(json));
  }

  /** A configuration that no reload will change (tests, tools): {@link #reload} refuses to. */
  public static CurrentConfig fixed(NodeConfig config) {
    return new CurrentConfig(null, config);
  }

  public NodeConfig get() {
    return state.get().config();
  }

  /**
   * Tells {@code listener} of every reload that was not refused, whether or not a key changed (a
   * reload also means "read your files again", e.g. certificates). Listeners are called on the
   * reloading thread, one after the other: they must not block.
   */
  public void onReload(Consumer<ConfigReload> listener) {
    listeners.add(listener);
  }

  public static boolean reloadable(String key) {
    return RELOADABLE.stream().anyMatch(entry -> entry.endsWith(".") ? key.startsWith(entry) : key.equals(entry));
  }

  /**
   * Applies {@code json}, a merged configuration ({@link ConfigLoader#merged}), checked already: the
   * reloadable keys take its values, the others keep theirs. Then the listeners hear of it.
   */
  public synchronized ConfigReload reload(JsonObject json) {
    State before = state.get();
    if (before.json() == null) {
      throw new IllegalStateException("this configuration was not loaded from a file and the environment");
    }
    Map<String, Object> old = flatten(before.json(), "", new TreeMap<>());
    Map<String, Object> now = flatten(json, "", new TreeMap<>());
    JsonObject applied = before.json().copy();
    List<ConfigReload.Change> changed = new ArrayList<>();
    List<ConfigReload.Change> needRestart = new ArrayList<>();
    for (Map.Entry<String, Object> entry : now.entrySet()) {
      String key = entry.getKey();
      Object previous = old.get(key);
      if (Objects.equals(previous, entry.getValue())) {
        continue;
      }
      ConfigReload.Change change = new ConfigReload.Change(key, previous, entry.getValue());
      if (reloadable(key)) {
        put(applied, key, entry.getValue());
        changed.add(change);
      } else {
        needRestart.add(change);
      }
    }
    // Checked as a whole again: the values kept and the values taken may not have met before.
    NodeConfig config = NodeConfig.from(applied);
    state.set(new State(applied, config));
    ConfigReload reload = new ConfigReload(before.config(), config, List.copyOf(changed), List.copyOf(needRestart));
    for (Consumer<ConfigReload> listener : listeners) {
      listener.accept(reload);
    }
    return reload;
  }

  private static Map<String, Object> flatten(JsonObject json, String prefix, Map<String, Object> into) {
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      if (value instanceof JsonObject nested) {
        flatten(nested, prefix + key + ".", into);
      } else {
        // Numbers compare by value whatever their boxed type (a file's 5 and an environment's 5L).
        into.put(prefix + key, value instanceof Number n && !(value instanceof Double || value instanceof Float)
            ? (Object) n.longValue() : value instanceof JsonArray a ? a.copy() : value);
      }
    }
    return into;
  }

  private static void put(JsonObject json, String key, Object value) {
    String[] parts = key.split("\\.");
    JsonObject node = json;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }
}
