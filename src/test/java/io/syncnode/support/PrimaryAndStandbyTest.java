package io.syncnode.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The pair the replica and failover tests build on: replication, paused replay, counted statements, promotion. */
class PrimaryAndStandbyTest {

  @Test
  void theStandbyFollowsPausesAndTakesOver() throws Exception {
    Assumptions.assumeTrue(PrimaryAndStandby.available(), "PostgreSQL 15 binaries are not installed");
    try (PrimaryAndStandby pair = PrimaryAndStandby.start(false)) {
      pair.primary.execute("postgres", "CREATE TABLE t (n int)");
      pair.primary.execute("postgres", "INSERT INTO t VALUES (1)");
      pair.awaitReplayed();
      assertThat(pair.standby.queryLong("postgres", "SELECT count(*) FROM t")).isEqualTo(1);
      assertThat(pair.standby.queryBoolean("postgres", "SELECT pg_is_in_recovery()")).isTrue();
      assertThatThrownBy(() -> pair.standby.execute("postgres", "INSERT INTO t VALUES (9)"))
          .isInstanceOf(SQLException.class).hasMessageContaining("read-only");

      pair.pauseReplay();
      pair.primary.execute("postgres", "INSERT INTO t VALUES (2)");
      Thread.sleep(300);
      assertThat(pair.standby.queryLong("postgres", "SELECT count(*) FROM t /* paused */")).isEqualTo(1);
      pair.resumeReplay();
      pair.awaitReplayed();
      assertThat(pair.standby.queryLong("postgres", "SELECT count(*) FROM t")).isEqualTo(2);
      assertThat(pair.standby.statementsContaining("postgres", "FROM t /* paused */")).isEqualTo(1);
      assertThat(pair.primary.statementsContaining("postgres", "FROM t /* paused */")).isZero();

      pair.primary.stop();
      pair.standby.promote();
      pair.standby.execute("postgres", "INSERT INTO t VALUES (3)");
      assertThat(pair.standby.queryLong("postgres", "SELECT count(*) FROM t")).isEqualTo(3);
      assertThat(pair.standby.queryBoolean("postgres", "SELECT pg_is_in_recovery()")).isFalse();
    }
  }
}
