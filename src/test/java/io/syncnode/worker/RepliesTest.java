package io.syncnode.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

/** Which failures of a store operation a worker answers as the database being unavailable (503). */
class RepliesTest {

  @Test
  void aPoolClosedUnderARequestIsUnavailable() {
    // what a request gets when a switch to a promoted standby closed the pool it had taken
    assertThat(Replies.isUnavailable(new VertxException("Pool closed"))).isTrue();
    assertThat(Replies.isUnavailable(new RuntimeException("push failed", new VertxException("Pool closed")))).isTrue();
  }

  @Test
  void aServerThatTurnedReadOnlyOrShutsDownIsUnavailable() {
    assertThat(Replies.isUnavailable(new PgException("cannot execute SELECT FOR UPDATE in a read-only transaction",
        "ERROR", "25006", null))).isTrue();
    assertThat(Replies.isUnavailable(new PgException("terminating connection due to administrator command",
        "FATAL", "57P01", null))).isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(Replies.isUnavailable(new IllegalStateException("a closed pool of ideas"))).isFalse();
    assertThat(Replies.isUnavailable(new PgException("duplicate key value violates unique constraint",
        "ERROR", "23505", null))).isFalse();
    assertThat(Replies.isUnavailable(new NullPointerException())).isFalse();
  }
}
