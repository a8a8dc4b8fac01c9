package io.syncnode.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.syncnode.protocol.Edge;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.Responses.ConflictInfo;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.VectorClock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchResolverTest {
  private static final String DEVICE = "laptop";
  private static final Instant T1 = Instant.parse("2025-12-01T10:00:00.000001Z");
  private static final Instant T2 = Instant.parse("2025-12-02T11:00:00.000002Z");
  private static final Instant T3 = Instant.parse("2025-12-03T12:00:00.000003Z");

  private static VectorClock clock(Object... deviceThenCounter) {
    Map<String, Long> counters = new LinkedHashMap<>();
    for (int i = 0; i < deviceThenCounter.length; i += 2) {
      counters.put((String) deviceThenCounter[i], ((Number) deviceThenCounter[i + 1]).longValue());
    }
    return VectorClock.of(counters);
  }

  private static Memory memory(String id, String content, VectorClock clock, Instant updatedAt) {
    return new Memory(id, clock, null, null, T1, updatedAt, null, content, "fact", List.of(), null, "global",
        null, null, null, null, null, null, null, null, RawJson.EMPTY_OBJECT, null, null, null);
  }

  private static Memory memory(String id, String content, VectorClock clock) {
    return memory(id, content, clock, T2);
  }

  private static Session session(String id, String summary, VectorClock clock) {
    return new Session(id, clock, null, null, T1, T2, null, "label", "global", "contextfs", null, null, null, null,
        T1, null, summary, RawJson.EMPTY_OBJECT);
  }

  private static Edge edge(String from, String to, String relation, VectorClock clock) {
    return new Edge(clock, null, null, T1, T2, null, from, to, relation, 1.0, null, RawJson.EMPTY_OBJECT);
  }

  private static BatchResolution<Memory> resolveMemories(
      Map<String, StoredVersion> stored, boolean force, Memory... memories) {
    return BatchResolver.resolve(List.of(memories), stored, Memory::id, DEVICE, force);
  }

  @Test
  void emptyBatch() {
    BatchResolution<Memory> r = resolveMemories(Map.of(), false);

    assertThat(r.accepted()).isZero();
    assertThat(r.rejected()).isZero();
    assertThat(r.conflicts()).isEmpty();
    assertThat(r.writes()).isEmpty();
    assertThat(r.acceptedEntities()).isEmpty();
  }

  @Test
  void countsEachVerdict() {
    Memory fresh = memory("new", "n", clock("laptop", 1));
    Memory newer = memory("newer", "w", clock("laptop", 2));
    Memory equal = memory("equal", "e", clock("laptop", 2));
    Memory stale = memory("stale", "s", clock("laptop", 1));
    Memory concurrent = memory("concurrent", "c", clock("laptop", 2));
    Map<String, StoredVersion> stored = Map.of(
        "newer", new StoredVersion(clock("laptop", 1), "old", T1),
        "equal", new StoredVersion(clock("laptop", 2), "old", T1),
        "stale", new StoredVersion(clock("laptop", 2), "old", T1),
        "concurrent", new StoredVersion(clock("desktop", 1), "old", T1));

    BatchResolution<Memory> r = resolveMemories(stored, false, fresh, newer, equal, stale, concurrent);

    assertThat(r.accepted()).isEqualTo(3);
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.conflicts()).extracting(ConflictInfo::entityId).containsExactly("concurrent");
    assertThat(r.acceptedEntities()).containsExactly(fresh, newer, equal);
    assertThat(r.writes())
        .extracting(w -> w.entity().id(), BatchResolution.Write::clock, BatchResolution.Write::insert)
        .containsExactlyInAnyOrder(
            tuple("new", clock("laptop", 2), true),
            tuple("newer", clock("laptop", 2), false),
            tuple("equal", clock("laptop", 2), false));
  }

  @Test
  void forceAcceptsConcurrentAndStaleWithTheMerge() {
    Map<String, StoredVersion> stored = Map.of(
        "stale", new StoredVersion(clock("laptop", 5), "old", T1),
        "concurrent", new StoredVersion(clock("desktop", 3), "old", T1));

    BatchResolution<Memory> r = resolveMemories(stored, true,
        memory("stale", "s", clock("laptop", 1)), memory("concurrent", "c", clock("laptop", 1)));

    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.rejected()).isZero();
    assertThat(r.conflicts()).isEmpty();
    assertThat(r.writes())
        .extracting(w -> w.entity().id(), BatchResolution.Write::clock, BatchResolution.Write::insert)
        .containsExactlyInAnyOrder(
            tuple("stale", clock("laptop", 5), false),
            tuple("concurrent", clock("laptop", 1, "desktop", 3), false));
  }

  @Test
  void memoryConflictCarriesBothVersions() {
    VectorClock clientClock = clock("laptop", 2, "desktop", 1);
    VectorClock serverClock = clock("laptop", 1, "desktop", 2);
    Map<String, StoredVersion> stored = Map.of("m1", new StoredVersion(serverClock, "server text", T1));

    BatchResolution<Memory> r = resolveMemories(stored, false, memory("m1", "client text", clientClock, T3));

    assertThat(r.accepted()).isZero();
    assertThat(r.rejected()).isZero();
    assertThat(r.writes()).isEmpty();
    assertThat(r.conflicts()).containsExactly(new ConflictInfo(
        "m1", EntityType.MEMORY, clientClock, serverClock, "client text", "server text", T3, T1));
  }

  @Test
  void sessionConflictCarriesSummaries() {
    VectorClock clientClock = clock("laptop", 1);
    VectorClock serverClock = clock("desktop", 1);
    Map<String, StoredVersion> stored = Map.of("s1", new StoredVersion(serverClock, "server summary", T1));

    BatchResolution<Session> r = BatchResolver.resolve(
        List.of(session("s1", "client summary", clientClock)), stored, Session::id, DEVICE, false);

    assertThat(r.conflicts()).containsExactly(new ConflictInfo(
        "s1", EntityType.SESSION, clientClock, serverClock, "client summary", "server summary", T2, T1));
  }

  @Test
  void edgeConflictHasNoContent() {
    VectorClock clientClock = clock("laptop", 1);
    VectorClock serverClock = clock("desktop", 1);
    String id = "mem-a:mem-b:relates_to";
    Map<String, StoredVersion> stored = Map.of(id, new StoredVersion(serverClock, null, T1));

    BatchResolution<Edge> r = BatchResolver.resolve(
        List.of(edge("mem-a", "mem-b", "relates_to", clientClock)), stored, Edge::id, DEVICE, false);

    assertThat(r.conflicts()).containsExactly(new ConflictInfo(
        id, EntityType.EDGE, clientClock, serverClock, null, null, T2, T1));
  }

  @Test
  void newIdSentTwiceWithTheSameClockIsInsertedOnceThenRejected() {
    Memory first = memory("m1", "first", clock("laptop", 1));
    Memory second = memory("m1", "second", clock("laptop", 1));

    BatchResolution<Memory> r = resolveMemories(Map.of(), false, first, second);

    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.conflicts()).isEmpty();
    assertThat(r.acceptedEntities()).containsExactly(first);
    assertThat(r.writes()).containsExactly(new BatchResolution.Write<>(first, clock("laptop", 2), true));
  }

  @Test
  void newIdSentTwiceKeepsTheLastAcceptedAsAnInsert() {
    Memory first = memory("m1", "first", clock("laptop", 1));
    Memory second = memory("m1", "second", clock("laptop", 2));

    BatchResolution<Memory> r = resolveMemories(Map.of(), false, first, second);

    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.rejected()).isZero();
    assertThat(r.acceptedEntities()).containsExactly(first, second);
    assertThat(r.writes()).containsExactly(new BatchResolution.Write<>(second, clock("laptop", 2), true));
  }

  @Test
  void storedIdSentTwiceKeepsTheLastAcceptedAsAnUpdate() {
    Map<String, StoredVersion> stored = Map.of("m1", new StoredVersion(clock("laptop", 1), "old", T1));
    Memory first = memory("m1", "first", clock("laptop", 2));
    Memory second = memory("m1", "second", clock("laptop", 3));

    BatchResolution<Memory> r = resolveMemories(stored, false, first, second);

    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.writes()).containsExactly(new BatchResolution.Write<>(second, clock("laptop", 3), false));
  }

  @Test
  void secondOccurrenceIsComparedWithTheFirstAcceptedNotTheStoredVersion() {
    Map<String, StoredVersion> stored = Map.of("m1", new StoredVersion(clock("laptop", 1), "old", T1));
    Memory first = memory("m1", "first", clock("laptop", 3), T2);
    Memory second = memory("m1", "second", clock("laptop", 2), T3);

    BatchResolution<Memory> r = resolveMemories(stored, false, first, second);

    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.writes()).containsExactly(new BatchResolution.Write<>(first, clock("laptop", 3), false));
  }

  @Test
  void conflictWithAnEarlierEntryOfTheBatchReportsThatEntryAsTheServerVersion() {
    Memory first = memory("m1", "first", clock("laptop", 1), T2);
    Memory second = memory("m1", "second", clock("desktop", 1), T3);

    BatchResolution<Memory> r = resolveMemories(Map.of(), false, first, second);

    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.conflicts()).containsExactly(new ConflictInfo(
        "m1", EntityType.MEMORY, clock("desktop", 1), clock("laptop", 2), "second", "first", T3, T2));
    assertThat(r.writes()).containsExactly(new BatchResolution.Write<>(first, clock("laptop", 2), true));
  }

  @Test
  void writesHoldOneEntryPerId() {
    Map<String, StoredVersion> stored = Map.of("b", new StoredVersion(clock("laptop", 1), "old", T1));

    BatchResolution<Memory> r = resolveMemories(stored, false,
        memory("a", "a1", clock("laptop", 1)),
        memory("b", "b1", clock("laptop", 2)),
        memory("a", "a2", clock("laptop", 2)),
        memory("b", "b2", clock("laptop", 3)),
        memory("c", "c1", clock()));

    assertThat(r.accepted()).isEqualTo(5);
    assertThat(r.writes())
        .extracting(w -> w.entity().content(), BatchResolution.Write::clock, BatchResolution.Write::insert)
        .containsExactlyInAnyOrder(
            tuple("a2", clock("laptop", 2), true),
            tuple("b2", clock("laptop", 3), false),
            tuple("c1", clock("laptop", 1), true));
  }

  @Test
  void edgesAreKeyedByTheGivenKey() {
    Edge edge = edge("x", "y", "rel", clock("laptop", 1));
    Map<String, StoredVersion> stored = Map.of("x:y:rel", new StoredVersion(clock("laptop", 5), null, T1));

    BatchResolution<Edge> r = BatchResolver.resolve(List.of(edge), stored, Edge::id, DEVICE, false);

    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.writes()).isEmpty();
  }

  @Test
  void storedMapIsNotModified() {
    Map<String, StoredVersion> stored = new HashMap<>();
    stored.put("m1", new StoredVersion(clock("laptop", 1), "old", T1));
    Map<String, StoredVersion> before = Map.copyOf(stored);

    resolveMemories(stored, false, memory("m1", "new", clock("laptop", 2)), memory("m2", "x", clock()));

    assertThat(stored).isEqualTo(before);
  }
}
