package io.syncnode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.syncnode.support.ClusterMembers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Callers contending for the same stripes, each holding them 2 ms: a shared counter of holders
 * must never exceed 1 (Vert.x's own clustered lock fails this).
 */
class StripeLocksTest {
  private static final List<String> KEYS = List.of("t/memories/1", "t/memories/7", "t/memories/42");
  private static final long RUN_MS = 4_000;

  /** Runs {@code callers} loops of acquire, count, hold 2 ms, uncount, release until the deadline. */
  private static Future<Integer> contend(Vertx vertx, StripeLocks locks, int callers, AtomicInteger holders,
      AtomicInteger overlaps, long deadline) {
    List<Future<Integer>> loops = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Promise<Integer> done = Promise.promise();
      vertx.runOnContext(v -> loop(vertx, locks, holders, overlaps, deadline, 0, done));
      loops.add(done.future());
    }
    return Future.all(loops).map(all -> loops.stream().mapToInt(Future::result).sum());
  }

  private static void loop(Vertx vertx, StripeLocks locks, AtomicInteger holders, AtomicInteger overlaps,
      long deadline, int count, Promise<Integer> done) {
    if (System.currentTimeMillis() >= deadline) {
      done.complete(count);
      return;
    }
    locks.acquire(KEYS).onComplete(lease -> {
      if (holders.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      vertx.setTimer(2, t -> {
        holders.decrementAndGet();
        locks.release(lease).onComplete(v -> loop(vertx, locks, holders, overlaps, deadline, count + 1, done),
            done::fail);
      });
    }, done::fail);
  }

  @Test
  void localStripesExcludeEachOther() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicInteger holders = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      StripeLocks locks = new LocalStripeLocks(vertx, 30_000);
      int acquisitions = contend(vertx, locks, 16, holders, overlaps, System.currentTimeMillis() + RUN_MS)
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertThat(overlaps.get()).isZero();
      assertThat(acquisitions).isGreaterThan(50);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** 8 callers on each of 2 members, with the locks {@code locksOf} makes for a member; acquisitions per member. */
  private static List<Integer> contendAcrossMembers(Function<ClusterMembership, StripeLocks> locksOf,
      AtomicInteger overlaps) throws Exception {
    try (ClusterMembers cluster = ClusterMembers.start(2)) {
      AtomicInteger holders = new AtomicInteger();
      long deadline = System.currentTimeMillis() + RUN_MS;
      List<Future<Integer>> members = new ArrayList<>();
      for (ClusterMembership member : cluster.members) {
        members.add(contend(member.vertx(), locksOf.apply(member), 8, holders, overlaps, deadline));
      }
      return Future.all(members).map(all -> members.stream().map(Future::result).toList())
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void clusterStripesExcludeEachOtherAcrossMembers() throws Exception {
    AtomicInteger overlaps = new AtomicInteger();
    List<Integer> acquired = contendAcrossMembers(member -> new NodeThenClusterStripeLocks(
        new LocalStripeLocks(member.vertx(), 30_000),
        new HazelcastStripeLocks(member.vertx(), member.hazelcast(), 30_000, 10_000)), overlaps);
    assertThat(overlaps.get()).isZero();
    // enough hand-overs between the members for an overlap to have had its chance
    assertThat(acquired).as("acquisitions per member").allMatch(n -> n >= 10);
  }

  /** Without the node level, every caller claims in the cluster: still exclusive. */
  @Test
  void bareClusterStripesExcludeEachOtherAcrossMembers() throws Exception {
    AtomicInteger overlaps = new AtomicInteger();
    List<Integer> acquired = contendAcrossMembers(
        member -> new HazelcastStripeLocks(member.vertx(), member.hazelcast(), 30_000, 10_000), overlaps);
    assertThat(overlaps.get()).isZero();
    assertThat(acquired.get(0) + acquired.get(1)).isPositive();
  }

  @Test
  void aReleaseRemovesOnlyTheCallersOwnClaims() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      StripeLocks locks = new LocalStripeLocks(vertx, 200);
      StripeLocks.Lease held = locks.acquire(KEYS).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      // a stranger's lease over the same keys releases nothing
      locks.release(new StripeLocks.Lease("stranger", KEYS)).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
      long started = System.nanoTime();
      Throwable refused = locks.acquire(List.of(KEYS.get(1))).toCompletionStage().toCompletableFuture()
          .handle((lease, error) -> error).get(5, TimeUnit.SECONDS);
      assertThat(refused).isInstanceOf(LockTimeoutException.class);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(200);
      locks.release(held).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(locks.acquire(List.of(KEYS.get(1))).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS).keys()).containsExactly(KEYS.get(1));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A batch's stripes are entries of their own, but all in the partitions of the few partition
   * groups: the map takes the part of each key after '@' as its partition key (cluster.xml).
   */
  @Test
  void aBatchsStripesLiveInThePartitionsOfAFewGroups() throws Exception {
    try (ClusterMembers cluster = ClusterMembers.start(2)) {
      var member = cluster.members.get(0);
      List<String> stripes = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        stripes.add("t/memories/" + i);
      }
      StripeLocks locks = new HazelcastStripeLocks(member.vertx(), member.hazelcast(), 5_000, 10_000);
      StripeLocks.Lease lease = locks.acquire(stripes).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      IMap<String, String> map = member.hazelcast().getMap(HazelcastStripeLocks.MAP);
      Set<String> inGroupPartitions = new HashSet<>();
      for (int group = 0; group < HazelcastStripeLocks.PARTITION_GROUPS; group++) {
        inGroupPartitions.addAll(map.keySet(Predicates.partitionPredicate(String.valueOf(group),
            Predicates.alwaysTrue())));
      }
      assertThat(inGroupPartitions).hasSize(200).isEqualTo(map.keySet());
      assertThat(inGroupPartitions).allMatch(entry -> entry.matches("t/memories/\\d+@\\d+"));
      locks.release(lease).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(map.keySet()).isEmpty();
    }
  }

  @Test
  void stripesOfAKilledMemberFreeThemselvesWithinTheLease() throws Exception {
    long leaseMs = 3_000;
    try (ClusterMembers cluster = ClusterMembers.start(2)) {
      var doomed = cluster.members.get(0);
      var survivor = cluster.members.get(1);
      StripeLocks doomedLocks = new HazelcastStripeLocks(doomed.vertx(), doomed.hazelcast(), 5_000, leaseMs);
      StripeLocks survivorLocks = new HazelcastStripeLocks(survivor.vertx(), survivor.hazelcast(), 30_000, leaseMs);
      doomedLocks.acquire(KEYS).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long killed = System.nanoTime();
      doomed.hazelcast().getLifecycleService().terminate();
      survivorLocks.acquire(KEYS).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      assertThat(waitedMs).as("held until the lease ran out").isGreaterThanOrEqualTo(leaseMs / 2);
      assertThat(waitedMs).as("freed by the lease").isLessThan(leaseMs + 3_000);
    }
  }
}
