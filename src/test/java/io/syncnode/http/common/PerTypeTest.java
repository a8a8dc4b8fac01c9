package io.syncnode.http.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.protocol.EntityType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerTypeTest {
  @Test
  void asksEveryTypeAtOnceAndKeepsEachAnswerWithItsType() {
    List<EntityType> asked = new ArrayList<>();
    Future<PerType<String>> answers = PerType.all(type -> {
      asked.add(type);
      return Future.succeededFuture(type.plural());
    });
    assertThat(asked).containsExactly(EntityType.MEMORY, EntityType.SESSION, EntityType.EDGE);
    assertThat(answers.result().of(EntityType.SESSION)).isEqualTo("sessions");
    assertThat(answers.result().of(EntityType.EDGE)).isEqualTo("edges");
  }

  @Test
  void failsWithTheFirstFailure() {
    Future<PerType<String>> answers = PerType.all(type -> type == EntityType.SESSION
        ? Future.failedFuture(new IllegalStateException("sessions down")) : Future.succeededFuture("ok"));
    assertThat(answers.failed()).isTrue();
    assertThat(answers.cause()).hasMessage("sessions down");
  }
}
