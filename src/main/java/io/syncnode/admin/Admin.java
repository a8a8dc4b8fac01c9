package io.syncnode.admin;

import io.syncnode.auth.ApiKey;
import io.syncnode.config.ConfigException;
import io.syncnode.config.ConfigLoader;
import io.syncnode.config.NodeConfig;
import io.syncnode.config.UsageException;
import io.syncnode.log.LogFormats;
import io.syncnode.store.Database;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar syncnode.jar admin ...}: manages tenants' API keys in the node's database
 * (configured like a node: --conf FILE or conf/node.json, then SYNCNODE_* variables). What a
 * command answers goes to stdout; messages and the log go to stderr. Exit status: 0 done, 1 the
 * command failed (unknown tenant or key, database unreachable), 2 a bad command line or configuration.
 */
public final class Admin {
  public static final String USAGE = String.join("\n",
      "usage: java -jar syncnode.jar admin [--conf FILE] COMMAND [OPTIONS]",
      "  create-key --tenant NAME [--e2ee]",
      "                             create the tenant if needed and a new API key; prints the key (stdout);",
      "                             --e2ee gives the tenant an encryption salt (end-to-end encryption on)",
      "  list-keys --tenant NAME    list the tenant's keys: key_id, created, revoked (ISO-8601, UTC)",
      "  revoke-key KEY_ID          revoke a key; every node refuses it within auth.cacheTtlMs",
      "  --conf FILE                configuration file; default conf/node.json when present",
      "  -h, --help                 print this (or, after a command, that command's usage) and exit",
      "exit status: 0 done, 1 the command failed (e.g. unknown tenant or key), 2 bad arguments or configuration");

  private static final Map<String, String> COMMAND_USAGE = Map.of(
      "create-key", String.join("\n",
          "usage: java -jar syncnode.jar admin [--conf FILE] create-key --tenant NAME [--e2ee]",
          "  Creates tenant NAME if it does not exist, and a new API key for it. Prints the key on stdout",
          "  (its only line); it is shown only then. Send it as X-API-Key or Authorization: Bearer KEY.",
          "  --e2ee gives the tenant an encryption salt (GET /api/auth/encryption-salt), which turns on",
          "  end-to-end encryption in newer contextfs clients; a tenant keeps its first salt."),
      "list-keys", String.join("\n",
          "usage: java -jar syncnode.jar admin [--conf FILE] list-keys --tenant NAME",
          "  Prints the tenant's keys, oldest first: key_id, created, revoked (ISO-8601 UTC, or - when not",
          "  revoked). A tenant that does not exist is an error (exit 1)."),
      "revoke-key", String.join("\n",
          "usage: java -jar syncnode.jar admin [--conf FILE] revoke-key KEY_ID",
          "  Revokes the key; every node refuses it within auth.cacheTtlMs. An unknown KEY_ID is an error (exit 1)."));

  private static final DateTimeFormatter ISO_UTC = DateTimeFormatter.ISO_INSTANT;

  private final PrintStream out;
  private final PrintStream err;

  public Admin(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** The parsed command line: the configuration file, the command and its own arguments. */
  private record Command(Path conf, String name, List<String> args, boolean help) {}

  /** Runs a command; returns the exit status. */
  public int run(Map<String, String> env, String... args) {
    Command command;
    try {
      command = parse(args);
    } catch (UsageException e) {
      err.println("syncnode admin: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (command.help()) {
      out.println(command.name() == null ? USAGE : COMMAND_USAGE.get(command.name()));
      return 0;
    }
    String tenant;
    String keyId;
    try {
      tenant = command.name().equals("revoke-key") ? null : tenant(command.args());
      keyId = command.name().equals("revoke-key") ? keyId(command.args()) : null;
    } catch (UsageException e) {
      err.println("syncnode admin " + command.name() + ": " + e.getMessage());
      err.println(COMMAND_USAGE.get(command.name()));
      return 2;
    }
    Path conf = command.conf();
    if (conf == null && Files.isRegularFile(Path.of("conf", "node.json"))) {
      conf = Path.of("conf", "node.json");
    }
    NodeConfig config;
    try {
      config = ConfigLoader.load(conf, env);
    } catch (ConfigException e) {
      err.println("syncnode admin: configuration error: " + e.getMessage());
      return 2;
    }
    LogFormats.use(config.log());
    try {
      Database.prepare(config.pg());
      return switch (command.name()) {
        case "create-key" -> createKey(config, tenant, command.args().contains("--e2ee"));
        case "list-keys" -> listKeys(config, tenant);
        default -> revokeKey(config, keyId);
      };
    } catch (SQLException | RuntimeException e) {
      err.println("syncnode admin: " + e.getMessage());
      return 1;
    }
  }

  private static Command parse(String... args) {
    Path conf = null;
    String name = null;
    List<String> rest = new ArrayList<>();
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        help = true;
      } else if (name == null && arg.equals("--conf")) {
        if (i + 1 >= args.length || args[i + 1].isEmpty()) {
          throw new UsageException("--conf: needs a FILE");
        }
        conf = Path.of(args[++i]);
      } else if (name == null) {
        if (!COMMAND_USAGE.containsKey(arg)) {
          throw arg.startsWith("-") ? UsageException.unexpected(arg) : new UsageException("unknown command " + arg);
        }
        name = arg;
      } else {
        rest.add(arg);
      }
    }
    if (name == null && !help) {
      throw new UsageException("which command? create-key, list-keys or revoke-key");
    }
    if (!help) {
      for (int i = 0; i < rest.size(); i++) {
        String arg = rest.get(i);
        if (arg.equals("--tenant") && !name.equals("revoke-key")) {
          i++;
        } else if (arg.equals("--e2ee") && name.equals("create-key")) {
          continue;
        } else if (arg.startsWith("-") && arg.length() > 1) {
          throw UsageException.unexpected(arg);
        }
      }
    }
    return new Command(conf, name, List.copyOf(rest), help);
  }

  private static String tenant(List<String> args) {
    int at = args.indexOf("--tenant");
    if (at < 0 || at + 1 >= args.size() || args.get(at + 1).isBlank()) {
      throw new UsageException("--tenant NAME is required");
    }
    for (int i = 0; i < args.size(); i++) {
      if (i != at && i != at + 1 && !args.get(i).equals("--e2ee")) {
        throw UsageException.unexpected(args.get(i));
      }
    }
    String value = args.get(at + 1);
    if (value.length() > 128 || value.chars().anyMatch(c -> c < 0x20)) {
      throw new UsageException("--tenant: at most 128 printable characters");
    }
    return value;
  }

  private static String keyId(List<String> args) {
    if (args.size() != 1) {
      throw new UsageException(args.isEmpty() ? "KEY_ID is required" : "takes one KEY_ID, got " + args.size());
    }
    return args.get(0);
  }

  private int createKey(NodeConfig config, String tenant, boolean e2ee) throws SQLException {
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
    err.println("syncnode admin: created key " + key.keyId() + " for tenant " + tenant
        + "; the key is printed only now");
    if (e2ee) {
      err.println("syncnode admin: end-to-end encryption is on for tenant " + tenant
          + ": contextfs clients encrypt with a key derived from their API key, so its devices must share one key");
    }
    out.println(key.text());
    return 0;
  }

  private int listKeys(NodeConfig config, String tenant) throws SQLException {
    try (Connection conn = connect(config);
         PreparedStatement exists = conn.prepareStatement("SELECT 1 FROM tenants WHERE tenant_id = ?");
         PreparedStatement list = conn.prepareStatement(
             "SELECT key_id, created_at, revoked_at FROM api_keys WHERE tenant_id = ? ORDER BY created_at, key_id")) {
      exists.setString(1, tenant);
      try (ResultSet row = exists.executeQuery()) {
        if (!row.next()) {
          err.println("syncnode admin: no tenant " + tenant + " (create-key --tenant " + tenant + " creates it)");
          return 1;
        }
      }
      list.setString(1, tenant);
      try (ResultSet rows = list.executeQuery()) {
        out.printf("%-17s %-27s %s%n", "key_id", "created", "revoked");
        while (rows.next()) {
          out.printf("%-17s %-27s %s%n", rows.getString(1), iso(rows.getTimestamp(2)), iso(rows.getTimestamp(3)));
        }
      }
    }
    return 0;
  }

  private static String iso(Timestamp time) {
    return time == null ? "-" : ISO_UTC.format(time.toInstant());
  }

  private int revokeKey(NodeConfig config, String keyId) throws SQLException {
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
    return DriverManager.getConnection(io.syncnode.store.Database.jdbcUrl(config.pg(), config.pg().database()),
        config.pg().user(), config.pg().password());
  }
}
