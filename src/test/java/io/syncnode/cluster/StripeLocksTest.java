package io.syncnode.cluster;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;

import io.syncnode.support.ClusterMembers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Callers contending for the same stripes, each holding them 2 ms: a shared counter of holders
 * must never exceed 1 (Vert.x's own clustered lock fails this). Each run also counts the
 * acquisitions that were asked for while another caller held the stripes, so that a run in
 * which the callers never met cannot pass as exclusive.
 */
class StripeLocksTest {
  private static final List<String> KEYS = List.of("t/memories/1", "t/memories/7", "t/memories/42");
  private static final long RUN_MS = 4_000;

  /** What a contention run observed, shared by all its callers. */
  private static final class Observed {
    final AtomicInteger holders = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    /** Acquisitions granted after another caller's grant that came between their request and them. */
    final AtomicInteger contended = new AtomicInteger();
    final AtomicInteger grants = new AtomicInteger();
  }

  /** Runs {@code callers} loops of acquire, count, hold 2 ms, uncount, release until the deadline. */
  private static Future<Integer> contend(Vertx vertx, StripeLocks locks, int callers, Observed observed,
      long deadline) {
    List<Future<Integer>> loops = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Promise<Integer> done = Promise.promise();
      vertx.runOnContext(v -> loop(vertx, locks, observed, deadline, 0, done));
      loops.add(done.future());
    }
    return Future.all(loops).map(all -> loops.stream().mapToInt(Future::result).sum());
  }

  private static void loop(Vertx vertx, StripeLocks locks, Observed observed, long deadline, int count,
      Promise<Integer> done) {
    if (System.currentTimeMillis() >= deadline) {
      done.complete(count);
      return;
    }
    int grantsBefore = observed.grants.get();
    locks.acquire(KEYS).onComplete(lease -> {
      if (observed.holders.incrementAndGet() > 1) {
        observed.overlaps.incrementAndGet();
      }
      // another caller was granted the same stripes while this one waited for them
      if (observed.grants.getAndIncrement() > grantsBefore) {
        observed.contended.incrementAndGet();
      }
      vertx.setTimer(2, t -> {
        observed.holders.decrementAndGet();
        locks.release(lease).onComplete(v -> loop(vertx, locks, observed, deadline, count + 1, done),
            done::fail);
      });
    }, done::fail);
  }

  @Test
  void localStripesExcludeEachOther() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Observed observed = new Observed();
      StripeLocks locks = new LocalStripeLocks(vertx, 30_000);
      await(contend(vertx, locks, 16, observed, System.currentTimeMillis() + RUN_MS));
      assertThat(observed.overlaps.get()).isZero();
      assertThat(observed.contended.get()).as("acquisitions that waited for another holder").isPositive();
    } finally {
      await(vertx.close());
    }
  }

  /** 8 callers on each of 2 members, with the locks {@code locksOf} makes for a member; acquisitions per member. */
  private static List<Integer> contendAcrossMembers(Function<ClusterMembership, StripeLocks> locksOf,
      Observed observed) throws Exception {
    try (ClusterMembers cluster = ClusterMembers.start(2)) {
      long deadline = System.currentTimeMillis() + RUN_MS;
      List<Future<Integer>> members = new ArrayList<>();
      for (ClusterMembership member : cluster.members) {
        members.add(contend(member.vertx(), locksOf.apply(member), 8, observed, deadline));
      }
      return await(Future.all(members).map(all -> members.stream().map(Future::result).toList()));
    }
  }

  @Test
  void clusterStripesExcludeEachOtherAcrossMembers() throws Exception {
    Observed observed = new Observed();
    List<Integer> acquired = contendAcrossMembers(member -> new NodeThenClusterStripeLocks(
        new LocalStripeLocks(member.vertx(), 30_000),
        new HazelcastStripeLocks(member.vertx(), member.hazelcast(), 30_000, 10_000)), observed);
    assertThat(observed.overlaps.get()).isZero();
    // both members held the stripes, and callers did wait for each other: the exclusion was tested
    assertThat(acquired).as("acquisitions per member").allMatch(n -> n > 0);
    assertThat(observed.contended.get()).as("acquisitions that waited for another holder").isPositive();
  }

  /** Without the node level, every caller claims in the cluster: still exclusive. */
  @Test
  void bareClusterStripesExcludeEachOtherAcrossMembers() throws Exception {
    Observed observed = new Observed();
    List<Integer> acquired = contendAcrossMembers(
        member -> new HazelcastStripeLocks(member.vertx(), member.hazelcast(), 30_000, 10_000), observed);
    assertThat(observed.overlaps.get()).isZero();
    assertThat(acquired).as("acquisitions per member").allMatch(n -> n > 0);
    assertThat(observed.contended.get()).as("acquisitions that waited for another holder").isPositive();
  }

  @Test
  void aReleaseRemovesOnlyTheCallersOwnClaims() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      StripeLocks locks = new LocalStripeLocks(vertx, 200);
      StripeLocks.Lease held = await(locks.acquire(KEYS));
      // a stranger's lease over the same keys releases nothing
      await(locks.release(new StripeLocks.Lease("stranger", KEYS)));
      // still held: the next claim waits out its timeout and is refused
      Throwable refused = await(locks.acquire(List.of(KEYS.get(1)))
          .transform(attempt -> Future.succeededFuture(attempt.cause())));
      assertThat(refused).isInstanceOf(LockTimeoutException.class);
      await(locks.release(held));
      assertThat(await(locks.acquire(List.of(KEYS.get(1)))).keys()).containsExactly(KEYS.get(1));
    } finally {
      await(vertx.close());
    }
  }

  /**
   * A batch's stripes, however many, are held in the one entry of the lock table: claimed all at
   * once, refused all at once to another holder, and gone from the map once released.
   */
  @Test
  void aBatchsStripesAreHeldInOneEntryAllOrNone() throws Exception {
    try (ClusterMembers cluster = ClusterMembers.start(2)) {
      var member = cluster.members.get(0);
      List<String> stripes = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        stripes.add("t/memories/" + i);
      }
      StripeLocks locks = new HazelcastStripeLocks(member.vertx(), member.hazelcast(), 300, 10_000);
      StripeLocks other = new HazelcastStripeLocks(cluster.members.get(1).vertx(), cluster.members.get(1).hazelcast(),
          300, 10_000);
      StripeLocks.Lease lease = await(locks.acquire(stripes));
      IMap<String, HazelcastStripeLocks.HeldStripes> map = member.hazelcast().getMap(HazelcastStripeLocks.MAP);
      assertThat(map.keySet()).containsExactly(HazelcastStripeLocks.STRIPES);
      assertThat(map.get(HazelcastStripeLocks.STRIPES).heldAt(System.currentTimeMillis()))
          .containsExactlyInAnyOrderElementsOf(stripes);
      // one stripe in common is enough to be refused, and the refused claim holds nothing
      Throwable refused = await(other.acquire(List.of("t/memories/199", "t/memories/500"))
          .transform(attempt -> Future.succeededFuture(attempt.cause())));
      assertThat(refused).isInstanceOf(LockTimeoutException.class);
      assertThat(map.get(HazelcastStripeLocks.STRIPES).heldAt(System.currentTimeMillis()))
          .containsExactlyInAnyOrderElementsOf(stripes);
      // a stranger's release frees nothing
      await(other.release(new StripeLocks.Lease("stranger", stripes)));
      assertThat(map.get(HazelcastStripeLocks.STRIPES).heldAt(System.currentTimeMillis())).hasSize(200);
      await(locks.release(lease));
      assertThat(map.keySet()).isEmpty();
      assertThat(await(other.acquire(List.of("t/memories/199", "t/memories/500"))).keys()).hasSize(2);
    }
  }

  /**
   * Claims and releases complete without starting threads: Hazelcast runs a callback registered
   * without an executor on its default one, which starts a thread per callback when the common pool
   * has a parallelism of 1 (machines of 2 cores, such as the one CI runs on).
   */
  @Test
  void claimsAndReleasesStartNoThreads() throws Exception {
    try (ClusterMembers cluster = ClusterMembers.start(2)) {
      var member = cluster.members.get(0);
      StripeLocks locks = new HazelcastStripeLocks(member.vertx(), member.hazelcast(), 5_000, 10_000);
      await(locks.release(await(locks.acquire(KEYS))));
      long startedBefore = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
      for (int i = 0; i < 100; i++) {
        await(locks.release(await(locks.acquire(KEYS))));
      }
      long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - startedBefore;
      assertThat(started).as("threads started by 100 claims and releases (common pool parallelism %d)",
          ForkJoinPool.getCommonPoolParallelism()).isLessThan(10);
    }
  }

  /**
   * The backup holds what the owner granted: when the member owning the lock table dies, its claims
   * are still held on the member that takes the table over, until they are released or expire. The
   * backup is asynchronous, so the owner dies only once the backup has the claim.
   */
  @Test
  void claimsOutliveTheMemberThatOwnedTheTable() throws Exception {
    try (ClusterMembers cluster = ClusterMembers.start(2)) {
      var claimant = cluster.members.get(0);
      StripeLocks claimantLocks = new HazelcastStripeLocks(claimant.vertx(), claimant.hazelcast(), 5_000, 60_000);
      await(claimantLocks.acquire(KEYS));
      var owner = claimant.hazelcast().getPartitionService().getPartition(HazelcastStripeLocks.STRIPES).getOwner();
      var doomed = cluster.members.stream().filter(m -> m.hazelcast().getCluster().getLocalMember().equals(owner))
          .findFirst().orElseThrow();
      var survivor = cluster.members.stream().filter(m -> m != doomed).findFirst().orElseThrow();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (survivor.hazelcast().getMap(HazelcastStripeLocks.MAP).getLocalMapStats().getBackupEntryCount() == 0) {
        assertThat(System.nanoTime()).as("the backup got the claim").isLessThan(deadline);
        Thread.sleep(10);
      }
      doomed.hazelcast().getLifecycleService().terminate();
      StripeLocks survivorLocks = new HazelcastStripeLocks(survivor.vertx(), survivor.hazelcast(), 1_000, 60_000);
      Throwable refused = await(survivorLocks.acquire(List.of(KEYS.get(0)))
          .transform(attempt -> Future.succeededFuture(attempt.cause())));
      assertThat(refused).as("the claim was held by the backup").isInstanceOf(LockTimeoutException.class);
      IMap<String, HazelcastStripeLocks.HeldStripes> map = survivor.hazelcast().getMap(HazelcastStripeLocks.MAP);
      assertThat(map.get(HazelcastStripeLocks.STRIPES).heldAt(System.currentTimeMillis()))
          .containsExactlyInAnyOrderElementsOf(KEYS);
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
      await(doomedLocks.acquire(KEYS));
      long killed = System.nanoTime();
      doomed.hazelcast().getLifecycleService().terminate();
      await(survivorLocks.acquire(KEYS));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      assertThat(waitedMs).as("held until the lease ran out").isGreaterThanOrEqualTo(leaseMs / 2);
      assertThat(waitedMs).as("freed by the lease").isLessThan(leaseMs + 3_000);
    }
  }

  /** Holds a partition thread, as a member that stopped answering would hold a claim's round trip. */
  static final class Stall implements com.hazelcast.map.EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final long millis;

    Stall(long millis) {
      this.millis = millis;
    }

    @Override
    public Boolean process(java.util.Map.Entry<String, String> entry) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    }
  }

  /**
   * A claim whose answer comes late (its member paused, or the owner stalled) ends the acquisition
   * at locks.timeoutMs with a lock timeout instead of waiting for the answer; the claim, granted
   * afterwards, is released again rather than left holding the stripes until its lease runs out.
   */
  @Test
  void aClaimAnsweredLateTimesOutAtTheDeadlineAndIsReleased() throws Exception {
    long stallMs = 4_000;
    try (ClusterMembers cluster = ClusterMembers.start(1)) {
      var member = cluster.members.get(0);
      IMap<String, String> map = member.hazelcast().getMap(HazelcastStripeLocks.MAP);
      var stalled = map.submitToKey(HazelcastStripeLocks.STRIPES, new Stall(stallMs)).toCompletableFuture();
      Thread.sleep(200);
      StripeLocks locks = new HazelcastStripeLocks(member.vertx(), member.hazelcast(), 500, 60_000);
      long started = System.nanoTime();
      Throwable refused = await(locks.acquire(KEYS).transform(attempt -> Future.succeededFuture(attempt.cause())));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(refused).isInstanceOf(LockTimeoutException.class);
      assertThat(waitedMs).as("answered at the deadline, not when the claim came back").isLessThan(stallMs - 1_000);
      stalled.get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!map.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(map.keySet()).as("the late claim was released, not left for its 60 s lease").isEmpty();
    }
  }
}
