package io.syncnode.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeProcess;
import io.syncnode.support.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar syncnode.jar admin} as a script uses it: what it answers alone on stdout (the
 * log and messages on stderr), times in ISO-8601 UTC, and exit 1 for a tenant or key that does not exist.
 */
class AdminCommandTest {
  private static TestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create(AdminCommandTest.class);
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  private record Run(int status, String out, String err) {}

  private static Run admin(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "admin";
    System.arraycopy(args, 0, all, 1, args.length);
    try (NodeProcess run = NodeProcess.command(db.environment(Map.of()), all)) {
      int status = run.awaitExit(90);
      return new Run(status, run.output(), run.errors());
    }
  }

  @Test
  void createKeyPrintsTheKeyAloneAndListKeysItsTimesInUtc() throws Exception {
    Instant before = Instant.now().minusSeconds(5);
    Run created = admin("create-key", "--tenant", "acme");

    assertThat(created.status()).as(created.err()).isZero();
    assertThat(created.out().lines().toList()).singleElement()
        .satisfies(key -> assertThat(key).matches("snk_[0-9a-f]{16}_[A-Za-z0-9_-]+"));
    String keyId = created.out().substring(4, 20);
    assertThat(created.err()).contains("created key " + keyId + " for tenant acme")
        .contains("schema version");

    Run listed = admin("list-keys", "--tenant", "acme");
    assertThat(listed.status()).as(listed.err()).isZero();
    List<String> rows = listed.out().lines().toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).split("\\s+")).containsExactly("key_id", "created", "revoked");
    String[] row = rows.get(1).split("\\s+");
    assertThat(row[0]).isEqualTo(keyId);
    assertThat(row[1]).endsWith("Z");
    assertThat(Instant.parse(row[1])).isBetween(before, Instant.now().plusSeconds(5));
    assertThat(row[2]).isEqualTo("-");
    assertThat(listed.err()).doesNotContain(keyId);

    Run revoked = admin("revoke-key", keyId);
    assertThat(revoked.status()).as(revoked.err()).isZero();
    String[] after = admin("list-keys", "--tenant", "acme").out().lines().toList().get(1).split("\\s+");
    assertThat(Instant.parse(after[2])).isAfterOrEqualTo(Instant.parse(after[1]));
  }

  @Test
  void anUnknownTenantIsAnError() throws Exception {
    Run run = admin("list-keys", "--tenant", "nobody-here");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("syncnode admin: no tenant nobody-here");
  }

  @Test
  void anUnknownKeyIsAnError() throws Exception {
    Run run = admin("revoke-key", "0000000000000000");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("syncnode admin: no key 0000000000000000");
  }

  @Test
  void aMissingTenantIsAUsageError() throws Exception {
    Run run = admin("create-key");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("syncnode admin create-key: --tenant NAME is required")
        .contains("usage: java -jar syncnode.jar admin [--conf FILE] create-key --tenant NAME");
  }
}
