package io.syncnode.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable vector clock: device id to counter. A missing device counts as 0.
 * Counters are within 0..Long.MAX_VALUE; the parser enforces it.
 */
public final class VectorClock {
  public enum Order { BEFORE, AFTER, EQUAL, CONCURRENT }

  public static final VectorClock EMPTY = new VectorClock(new TreeMap<>());

  private final Map<String, Long> counters;

  private VectorClock(TreeMap<String, Long> counters) {
    this.counters = Collections.unmodifiableMap(counters);
  }

  public static VectorClock of(Map<String, Long> counters) {
    TreeMap<String, Long> copy = new TreeMap<>();
    counters.forEach((device, counter) -> {
      if (counter != 0) {
        copy.put(device, counter);
      }
    });
    return copy.isEmpty() ? EMPTY : new VectorClock(copy);
  }

  /** Counters by device id, in device id order, without zero entries. */
  public Map<String, Long> counters() {
    return counters;
  }

  public long get(String device) {
    return counters.getOrDefault(device, 0L);
  }

  /** How this clock relates to {@code other}: BEFORE means this happened before other. */
  public Order compareTo(VectorClock other) {
    boolean someLess = false;
    boolean someGreater = false;
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      long mine = e.getValue();
      long theirs = other.get(e.getKey());
      if (mine < theirs) someLess = true;
      if (mine > theirs) someGreater = true;
    }
    for (Map.Entry<String, Long> e : other.counters.entrySet()) {
      if (!counters.containsKey(e.getKey()) && e.getValue() > 0) someLess = true;
    }
    if (someLess && someGreater) return Order.CONCURRENT;
    if (someLess) return Order.BEFORE;
    if (someGreater) return Order.AFTER;
    return Order.EQUAL;
  }

  public boolean happensBefore(VectorClock other) {
    return compareTo(other) == Order.BEFORE;
  }

  /** Key-wise maximum. */
  public VectorClock merge(VectorClock other) {
    TreeMap<String, Long> merged = new TreeMap<>(counters);
    other.counters.forEach((device, counter) -> merged.merge(device, counter, Math::max));
    return new VectorClock(merged);
  }

  /** This clock with {@code device}'s counter one higher. The parser keeps counters below Long.MAX_VALUE for the pushing device. */
  public VectorClock increment(String device) {
    TreeMap<String, Long> next = new TreeMap<>(counters);
    next.put(device, Math.addExact(get(device), 1L));
    return new VectorClock(next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VectorClock other && counters.equals(other.counters);
  }

  @Override
  public int hashCode() {
    return counters.hashCode();
  }

  @Override
  public String toString() {
    return counters.toString();
  }
}
