package io.syncnode.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.protocol.VectorClock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictFunctionTest {
  private static final String DEVICE = "laptop";

  private static VectorClock clock(Object... deviceThenCounter) {
    Map<String, Long> counters = new LinkedHashMap<>();
    for (int i = 0; i < deviceThenCounter.length; i += 2) {
      counters.put((String) deviceThenCounter[i], ((Number) deviceThenCounter[i + 1]).longValue());
    }
    return VectorClock.of(counters);
  }

  @Test
  void notStoredIsAcceptedWithThePushingDeviceIncremented() {
    Decision d = VerdictFunction.decide(null, clock("laptop", 3, "desktop", 1), DEVICE, false);

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(d.clockToStore()).isEqualTo(clock("laptop", 4, "desktop", 1));
  }

  @Test
  void notStoredWithEmptyClockStartsThePushingDeviceAtOne() {
    Decision d = VerdictFunction.decide(null, VectorClock.EMPTY, DEVICE, false);

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(d.clockToStore()).isEqualTo(clock("laptop", 1));
  }

  @Test
  void notStoredIncrementsOnlyThePushingDeviceEvenIfItIsAbsentFromTheClock() {
    Decision d = VerdictFunction.decide(null, clock("desktop", 5), DEVICE, false);

    assertThat(d.clockToStore()).isEqualTo(clock("desktop", 5, "laptop", 1));
  }

  @Test
  void notStoredWithForceIsStillIncremented() {
    Decision d = VerdictFunction.decide(null, clock("laptop", 2), DEVICE, true);

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(d.clockToStore()).isEqualTo(clock("laptop", 3));
  }

  @Test
  void storedBeforeClientIsAcceptedWithTheMergeAndNoIncrement() {
    Decision d = VerdictFunction.decide(clock("laptop", 1, "desktop", 2), clock("laptop", 2, "desktop", 2), DEVICE, false);

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(d.clockToStore()).isEqualTo(clock("laptop", 2, "desktop", 2));
  }

  @Test
  void storedBeforeClientWithAMissingKeyKeepsTheUnionOfKeys() {
    Decision d = VerdictFunction.decide(clock("laptop", 1), clock("laptop", 1, "desktop", 1), DEVICE, false);

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(d.clockToStore()).isEqualTo(clock("laptop", 1, "desktop", 1));
  }

  @Test
  void storedEqualToClientIsAcceptedWithoutIncrement() {
    Decision d = VerdictFunction.decide(clock("laptop", 3), clock("laptop", 3), DEVICE, false);

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(d.clockToStore()).isEqualTo(clock("laptop", 3));
  }

  @Test
  void storedEqualIgnoringZeroEntriesIsAccepted() {
    Decision d = VerdictFunction.decide(clock("laptop", 3), clock("laptop", 3, "desktop", 0), DEVICE, false);

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(d.clockToStore()).isEqualTo(clock("laptop", 3));
  }

  @Test
  void clientBeforeStoredIsRejected() {
    Decision d = VerdictFunction.decide(clock("laptop", 3, "desktop", 1), clock("laptop", 2, "desktop", 1), DEVICE, false);

    assertThat(d.verdict()).isEqualTo(Verdict.REJECTED);
    assertThat(d.clockToStore()).isNull();
  }

  @Test
  void emptyClientAgainstStoredIsRejected() {
    Decision d = VerdictFunction.decide(clock("desktop", 1), VectorClock.EMPTY, DEVICE, false);

    assertThat(d.verdict()).isEqualTo(Verdict.REJECTED);
  }

  @Test
  void concurrentIsAConflict() {
    Decision d = VerdictFunction.decide(clock("laptop", 1, "desktop", 2), clock("laptop", 2, "desktop", 1), DEVICE, false);

    assertThat(d.verdict()).isEqualTo(Verdict.CONFLICT);
    assertThat(d.clockToStore()).isNull();
  }

  @Test
  void forceOverConcurrentIsAcceptedWithTheMerge() {
    Decision d = VerdictFunction.decide(clock("laptop", 1, "desktop", 2), clock("laptop", 2, "desktop", 1), DEVICE, true);

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(d.clockToStore()).isEqualTo(clock("laptop", 2, "desktop", 2));
  }

  @Test
  void forceOverNewerStoredIsAcceptedWithTheMerge() {
    Decision d = VerdictFunction.decide(clock("laptop", 5, "phone", 1), clock("laptop", 2), DEVICE, true);

    assertThat(d.verdict()).isEqualTo(Verdict.ACCEPTED);
    assertThat(d.clockToStore()).isEqualTo(clock("laptop", 5, "phone", 1));
  }
}
