package io.syncnode.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration again, as at start (the same file, then the environment), and applies
 * it to the running node ({@link CurrentConfig#reload}), logging each key it changed and each
 * changed key that needs a restart. A configuration that would not start a node is refused with
 * the message it would stop the node with, and the node keeps its current configuration.
 */
public final class ConfigReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  private final Path file;
  private final Supplier<Map<String, String>> environment;
  private final CurrentConfig current;

  /** {@code file} is the one read at start, or null if none was. */
  public ConfigReloader(Path file, Supplier<Map<String, String>> environment, CurrentConfig current) {
    this.file = file;
    this.environment = environment;
    this.current = current;
  }

  /** Reloads; the result is null when the configuration was refused. */
  public synchronized ConfigReload reload() {
    String source = file == null ? "the environment (no configuration file)" : file + " and the environment";
    LOG.info("reloading the configuration from {}", source);
    ConfigReload reload;
    try {
      reload = current.reload(ConfigLoader.merged(file, environment.get()));
    } catch (ConfigException e) {
      LOG.error("configuration error: {}; the node keeps its current configuration", e.getMessage());
      return null;
    } catch (RuntimeException e) {
      LOG.error("configuration not reloaded, the node keeps its current configuration", e);
      return null;
    }
    for (ConfigReload.Change change : reload.changed()) {
      LOG.info("configuration reloaded: {}", change.describe());
    }
    for (ConfigReload.Change change : reload.needRestart()) {
      LOG.warn("configuration: {} needs a restart; the node keeps the old value until then", change.describe());
    }
    LOG.info("configuration reloaded: {} key(s) changed, {} key(s) need a restart", reload.changed().size(),
        reload.needRestart().size());
    return reload;
  }
}
