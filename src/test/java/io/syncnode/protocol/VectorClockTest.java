package io.syncnode.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncnode.protocol.VectorClock.Order;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorClockTest {

  /** "a=1 b=2" as a clock; an empty string is the empty clock. */
  static VectorClock clock(String entries) {
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String entry : entries.trim().split("\\s+")) {
      if (entry.isEmpty()) continue;
      String[] parts = entry.split("=");
      counters.put(parts[0], Long.parseLong(parts[1]));
    }
    return VectorClock.of(counters);
  }

  private static Order opposite(Order order) {
    switch (order) {
      case BEFORE:
        return Order.AFTER;
      case AFTER:
        return Order.BEFORE;
      default:
        return order;
    }
  }

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "                | ''               | EQUAL",
      "a=1             | a=1              | EQUAL",
      "a=1 b=2         | b=2 a=1          | EQUAL",
      "a=1             | a=2              | BEFORE",
      "a=2             | a=1              | AFTER",
      "a=1             | a=1 b=1          | BEFORE",
      "''              | a=1              | BEFORE",
      "a=1 b=2 c=3     | a=1 b=2 c=4      | BEFORE",
      "a=2             | a=1 b=1          | CONCURRENT",
      "a=1             | b=1              | CONCURRENT",
      "a=3 b=1         | a=1 b=3          | CONCURRENT",
      "a=0             | ''               | EQUAL",
      "a=0             | b=0              | EQUAL",
      "a=1 b=0         | a=1              | EQUAL",
      "a=1 b=0         | a=1 c=0          | EQUAL",
      "a=1 b=0         | a=1 b=1          | BEFORE",
      "a=9223372036854775806 | a=9223372036854775807 | BEFORE",
  })
  void compareTo(String left, String right, Order expected) {
    VectorClock a = clock(left == null ? "" : left);
    VectorClock b = clock(right == null ? "" : right);

    assertThat(a.compareTo(b)).isEqualTo(expected);
    assertThat(b.compareTo(a)).isEqualTo(opposite(expected));
    assertThat(a.happensBefore(b)).isEqualTo(expected == Order.BEFORE);
  }

  @Test
  void missingDeviceCountsAsZero() {
    assertThat(clock("a=5").get("b")).isZero();
    assertThat(VectorClock.EMPTY.get("a")).isZero();
  }

  @Test
  void mergeTakesTheKeyWiseMaximum() {
    VectorClock a = clock("a=1 b=5");
    VectorClock b = clock("b=2 c=3");

    assertThat(a.merge(b).counters()).containsExactly(Map.entry("a", 1L), Map.entry("b", 5L), Map.entry("c", 3L));
    assertThat(b.merge(a)).isEqualTo(a.merge(b));
    assertThat(a).isEqualTo(clock("a=1 b=5"));
    assertThat(b).isEqualTo(clock("b=2 c=3"));
  }

  @Test
  void mergeWithEmptyOrItselfIsUnchanged() {
    VectorClock a = clock("a=4 b=2");

    assertThat(a.merge(VectorClock.EMPTY)).isEqualTo(a);
    assertThat(VectorClock.EMPTY.merge(a)).isEqualTo(a);
    assertThat(a.merge(a)).isEqualTo(a);
  }

  @Test
  void mergedClockIsAfterOrEqualToBothInputs() {
    VectorClock a = clock("a=3 b=1");
    VectorClock b = clock("a=1 b=3");
    VectorClock merged = a.merge(b);

    assertThat(merged).isEqualTo(clock("a=3 b=3"));
    assertThat(a.compareTo(merged)).isEqualTo(Order.BEFORE);
    assertThat(b.compareTo(merged)).isEqualTo(Order.BEFORE);
  }

  @Test
  void incrementAddsOneToOneDeviceOnly() {
    VectorClock a = clock("a=1 b=2");

    assertThat(a.increment("a")).isEqualTo(clock("a=2 b=2"));
    assertThat(a.increment("c")).isEqualTo(clock("a=1 b=2 c=1"));
    assertThat(VectorClock.EMPTY.increment("x")).isEqualTo(clock("x=1"));
    assertThat(a).isEqualTo(clock("a=1 b=2"));
    assertThat(a.compareTo(a.increment("a"))).isEqualTo(Order.BEFORE);
  }

  @Test
  void incrementBeyondLongMaxValueThrows() {
    VectorClock full = clock("a=" + Long.MAX_VALUE);

    assertThatThrownBy(() -> full.increment("a")).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void zeroEntriesAreIgnoredByEquality() {
    VectorClock withZero = clock("a=1 b=0");
    VectorClock without = clock("a=1");

    assertThat(withZero).isEqualTo(without);
    assertThat(withZero.hashCode()).isEqualTo(without.hashCode());
    assertThat(withZero.counters()).containsOnlyKeys("a");
    assertThat(clock("a=0 b=0")).isEqualTo(VectorClock.EMPTY);
    assertThat(clock("a=1")).isNotEqualTo(clock("a=2")).isNotEqualTo(clock("b=1"));
  }

  @Test
  void countersAreSortedByDeviceAndImmutable() {
    VectorClock c = clock("z=1 a=2 m=3");

    assertThat(c.counters().keySet()).containsExactly("a", "m", "z");
    assertThatThrownBy(() -> c.counters().put("b", 1L)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void ofCopiesItsInput() {
    Map<String, Long> source = new HashMap<>(Map.of("a", 1L));
    VectorClock c = VectorClock.of(source);

    source.put("a", 7L);
    source.put("b", 1L);

    assertThat(c).isEqualTo(clock("a=1"));
  }
}
