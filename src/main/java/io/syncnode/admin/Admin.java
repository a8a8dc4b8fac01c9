package io.syncnode.admin;

import io.syncnode.auth.ApiKey;
import io.syncnode.config.ConfigException;
import io.syncnode.config.ConfigLoader;
import io.syncnode.config.NodeConfig;
import io.syncnode.store.Database;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar syncnode.jar admin ...}: manages tenants' API keys in the node's database
 * (configured like a node: --conf FILE or conf/node.json, then SYNCNODE_* variables).
 */
public final class Admin {
  public static final String USAGE = String.join("\n",
      "usage: java -jar syncnode.jar admin [--conf FILE] COMMAND",
      "  create-key --tenant NAME [--e2ee]",
      "                             create the tenant if needed and print a new API key (last line);",
      "                             --e2ee gives the tenant an encryption salt (end-to-end encryption on)",
      "  list-keys --tenant NAME    list the tenant's keys: id, created, revoked",
      "  revoke-key KEY_ID          revoke a key; every node refuses it within auth.cacheTtlMs");

  private final PrintStream out;
  private final PrintStream err;

  public Admin(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs a command; returns the exit status. */
  public int run(Map<String, String> env, String... args) {
    List<String> rest = new ArrayList<>(List.of(args));
    Path conf = null;
    int confAt = rest.indexOf("--conf");
    if (confAt >= 0 && confAt + 1 < rest.size()) {
      conf = Path.of(rest.get(confAt + 1));
      rest.subList(confAt, confAt + 2).clear();
    } else if (Files.isRegularFile(Path.of("conf", "node.json"))) {
      conf = Path.of("conf", "node.json");
    }
    if (rest.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    NodeConfig config;
    try {
      config = ConfigLoader.load(conf, env);
    } catch (ConfigException e) {
      err.println("syncnode admin: configuration error: " + e.getMessage());
      return 2;
    }
    String command = rest.get(0);
    try {
      return switch (command) {
        case "create-key" -> createKey(config, option(rest, "--tenant"), rest.contains("--e2ee"));
        case "list-keys" -> listKeys(config, option(rest, "--tenant"));
        case "revoke-key" -> revokeKey(config, rest.size() == 2 ? rest.get(1) : null);
        default -> usage("unknown command " + command);
      };
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    } catch (SQLException | RuntimeException e) {
      err.println("syncnode admin: " + e.getMessage());
      return 1;
    }
  }

  private int usage(String problem) {
    err.println("syncnode admin: " + problem);
    err.println(USAGE);
    return 2;
  }

  private static String option(List<String> args, String name) {
    int at = args.indexOf(name);
    if (at < 0 || at + 1 >= args.size() || args.get(at + 1).isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    String value = args.get(at + 1);
    if (value.length() > 128 || value.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException(name + ": at most 128 printable characters");
    }
    return value;
  }

  private int createKey(NodeConfig config, String tenant, boolean e2ee) throws SQLException {
    Database.prepare(config.pg());
    ApiKey key = ApiKey.generate();
    try (Connection conn = connect(config)) {
      conn.setAutoCommit(false);
      try (PreparedStatement tenants = conn.prepareStatement(
              "INSERT INTO tenants (tenant_id) VALUES (?) ON CONFLICT DO NOTHING");
           PreparedStatement keys = conn.prepareStatement(
              "INSERT INTO api_keys (key_id, tenant_id, secret_hash) VALUES (?, ?, ?)")) {
        tenants.setString(1, tenant);
        tenants.executeUpdate();
        keys.setString(1, key.keyId());
        keys.setString(2, tenant);
        keys.setBytes(3, key.secretHash());
        keys.executeUpdate();
      }
      if (e2ee) {
        // a tenant keeps its first salt: its devices' content keys depend on it
        try (PreparedStatement salts = conn.prepareStatement(
            "INSERT INTO encryption_salts (tenant_id, salt) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
          salts.setString(1, tenant);
          salts.setString(2, ApiKey.newSalt());
          salts.executeUpdate();
        }
      }
      conn.commit();
    }
    if (e2ee) {
      out.println("end-to-end encryption is on for tenant " + tenant
          + ": contextfs clients encrypt with a key derived from their API key, so its devices must share one key");
    }
    out.println("created key " + key.keyId() + " for tenant " + tenant + "; it is shown only now:");
    out.println(key.text());
    return 0;
  }

  private int listKeys(NodeConfig config, String tenant) throws SQLException {
    Database.prepare(config.pg());
    try (Connection conn = connect(config);
         PreparedStatement list = conn.prepareStatement(
             "SELECT key_id, created_at, revoked_at FROM api_keys WHERE tenant_id = ? ORDER BY created_at")) {
      list.setString(1, tenant);
      try (ResultSet rows = list.executeQuery()) {
        out.println("key_id            created                        revoked");
        while (rows.next()) {
          out.printf("%-17s %-30s %s%n", rows.getString(1), rows.getObject(2), rows.getObject(3) == null ? "-"
              : rows.getObject(3));
        }
      }
    }
    return 0;
  }

  private int revokeKey(NodeConfig config, String keyId) throws SQLException {
    if (keyId == null) {
      throw new IllegalArgumentException("revoke-key takes one KEY_ID");
    }
    Database.prepare(config.pg());
    try (Connection conn = connect(config);
         PreparedStatement revoke = conn.prepareStatement(
             "UPDATE api_keys SET revoked_at = coalesce(revoked_at, clock_timestamp()) WHERE key_id = ?")) {
      revoke.setString(1, keyId);
      if (revoke.executeUpdate() == 0) {
        err.println("syncnode admin: no key " + keyId);
        return 1;
      }
    }
    out.println("revoked key " + keyId + " (refused by every node within " + config.auth().cacheTtlMs() + " ms)");
    return 0;
  }

  private static Connection connect(NodeConfig config) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + config.pg().host() + ":" + config.pg().port() + "/"
        + config.pg().database(), config.pg().user(), config.pg().password());
  }
}
