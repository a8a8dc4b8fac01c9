package io.syncnode.config;

/** A configuration value that cannot be used; the message names the key. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
