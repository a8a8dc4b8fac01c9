package io.syncnode.support;

import io.syncnode.admin.Admin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** API keys made with the admin command, as an operator would, in a test's database. */
public final class ApiKeys {
  private ApiKeys() {}

  /** Revokes {@code key} (the whole key text), as an operator would with {@code admin revoke-key}. */
  public static void revoke(TestDatabase db, String key) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new Admin(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(db.environment(Map.of()), "revoke-key", key.substring(4, 20));
    if (status != 0) {
      throw new IllegalStateException("revoke-key failed: " + err.toString(StandardCharsets.UTF_8));
    }
  }

  /** Creates a key for {@code tenant} and returns it. */
  public static String create(TestDatabase db, String tenant) {
    return create(db, tenant, false);
  }

  /** Creates a key for {@code tenant}, with {@code --e2ee} if {@code e2ee}, and returns it. */
  public static String create(TestDatabase db, String tenant, boolean e2ee) {
    String[] args = e2ee ? new String[] {"create-key", "--tenant", tenant, "--e2ee"}
        : new String[] {"create-key", "--tenant", tenant};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new Admin(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(db.environment(Map.of()), args);
    if (status != 0) {
      throw new IllegalStateException("create-key failed: " + err.toString(StandardCharsets.UTF_8));
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    return lines[lines.length - 1].strip();
  }
}
