package io.syncnode.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.syncnode.protocol.EntityType;
import io.syncnode.resolve.BatchResolution;
import io.syncnode.resolve.Verdict;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * syncnode's own meters, all named syncnode_*. Every meter is made once, up front, and tagged only
 * by entity type and verdict: counting is an increment, never a lookup or a new meter.
 */
public final class SyncMeters {
  private static final double[] SIZE_BUCKETS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  private final MeterRegistry registry;
  private final Map<EntityType, Counter[]> verdicts = new EnumMap<>(EntityType.class);
  private final Map<EntityType, DistributionSummary> pushBatches = new EnumMap<>(EntityType.class);
  /** Per type: manifest tombstones applied, and refused (the device had not seen the stored version). */
  private final Map<EntityType, Counter[]> manifestDeletes = new EnumMap<>(EntityType.class);
  private final Timer lockWait;
  private final Timer lockRelease;
  private final Counter lockTimeouts;
  private final Counter pullPages;
  private final DistributionSummary pullPageEntities;
  private final DistributionSummary diffManifestEntries;
  private final DistributionSummary diffDifferences;
  private final java.util.concurrent.atomic.AtomicInteger ready = new java.util.concurrent.atomic.AtomicInteger();

  SyncMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("syncnode.ready", ready, java.util.concurrent.atomic.AtomicInteger::get)
        .description("1 when the node is ready (as GET /ready answers 200), else 0; checked at each scrape")
        .strongReference(true)
        .register(registry);
    for (EntityType type : EntityType.values()) {
      Counter[] byVerdict = new Counter[Verdict.values().length];
      for (Verdict verdict : Verdict.values()) {
        byVerdict[verdict.ordinal()] = Counter.builder("syncnode.verdicts")
            .description("Entities pushed, by entity type and verdict")
            .tag("type", type.singular())
            .tag("outcome", verdict.name().toLowerCase(Locale.ROOT))
            .register(registry);
      }
      verdicts.put(type, byVerdict);
      manifestDeletes.put(type, new Counter[] {
          Counter.builder("syncnode.manifest.deletes").description("Diff manifest tombstones, by entity type and outcome")
              .tag("type", type.singular()).tag("outcome", "applied").register(registry),
          Counter.builder("syncnode.manifest.deletes").description("Diff manifest tombstones, by entity type and outcome")
              .tag("type", type.singular()).tag("outcome", "refused").register(registry)});
      pushBatches.put(type, DistributionSummary.builder("syncnode.push.batch.size")
          .description("Entities of one type in a push")
          .tag("type", type.singular())
          .serviceLevelObjectives(SIZE_BUCKETS)
          .register(registry));
    }
    lockWait = Timer.builder("syncnode.lock.wait")
        .description("Time a push batch waited for its lock stripes")
        .serviceLevelObjectives(VertxMeters.LATENCY_BUCKETS)
        .register(registry);
    lockRelease = Timer.builder("syncnode.lock.release")
        .description("Time a push batch's answer waited for its lock stripes to be released")
        .serviceLevelObjectives(VertxMeters.LATENCY_BUCKETS)
        .register(registry);
    lockTimeouts = Counter.builder("syncnode.lock.timeouts")
        .description("Push batches that could not lock their stripes within locks.timeoutMs")
        .register(registry);
    pullPages = Counter.builder("syncnode.pull.pages")
        .description("Pull pages served")
        .register(registry);
    pullPageEntities = DistributionSummary.builder("syncnode.pull.page.entities")
        .description("Entities in a pull page")
        .serviceLevelObjectives(SIZE_BUCKETS)
        .register(registry);
    diffManifestEntries = DistributionSummary.builder("syncnode.diff.manifest.entries")
        .description("Manifest entries of a diff, all types together")
        .serviceLevelObjectives(SIZE_BUCKETS)
        .register(registry);
    diffDifferences = DistributionSummary.builder("syncnode.diff.differences")
        .description("Differences a diff answered: entities missing or changed, deleted, missing on the server")
        .serviceLevelObjectives(SIZE_BUCKETS)
        .register(registry);
  }

  /** A batch of {@code size} entities of {@code type} was decided and stored. */
  public void pushed(EntityType type, int size, BatchResolution<?> resolution) {
    pushBatches.get(type).record(size);
    Counter[] byVerdict = verdicts.get(type);
    byVerdict[Verdict.ACCEPTED.ordinal()].increment(resolution.accepted());
    byVerdict[Verdict.REJECTED.ordinal()].increment(resolution.rejected());
    byVerdict[Verdict.CONFLICT.ordinal()].increment(resolution.conflicts().size());
  }

  /** A diff's manifest tombstones of {@code type}: {@code applied} became tombstones, {@code refused} stayed alive. */
  public void manifestDeletes(EntityType type, int applied, int refused) {
    manifestDeletes.get(type)[0].increment(applied);
    manifestDeletes.get(type)[1].increment(refused);
  }

  public void lockAcquired(long waitedNanos) {
    lockWait.record(waitedNanos, TimeUnit.NANOSECONDS);
  }

  public void lockReleased(long waitedNanos) {
    lockRelease.record(waitedNanos, TimeUnit.NANOSECONDS);
  }

  public void lockTimedOut() {
    lockTimeouts.increment();
  }

  public void pullPage(int entities) {
    pullPages.increment();
    pullPageEntities.record(entities);
  }

  /** The outcome of the readiness checks, as GET /ready would answer now. */
  public void ready(boolean isReady) {
    ready.set(isReady ? 1 : 0);
  }

  public void diff(long manifestEntries, long differences) {
    diffManifestEntries.record(manifestEntries);
    diffDifferences.record(differences);
  }

  /**
   * Reads the node's running counts when scraped: change events heard from the cluster (and the
   * entity changes they carried), and the members of the cluster (1 for a node on its own).
   */
  public void watch(AtomicLong changeEvents, AtomicLong changedEntities, IntSupplier clusterMembers) {
    FunctionCounter.builder("syncnode.change.events", changeEvents, AtomicLong::get)
        .description("Change events heard from every node of the cluster")
        .register(registry);
    FunctionCounter.builder("syncnode.changed.entities", changedEntities, AtomicLong::get)
        .description("Entity changes carried by the change events heard")
        .register(registry);
    Gauge.builder("syncnode.cluster.members", clusterMembers, IntSupplier::getAsInt)
        .description("Members of the node's cluster as the node sees it")
        .strongReference(true)
        .register(registry);
  }

  /** The age of the oldest running writer of the synced tables, which holds the change feed back. */
  public void watchFeedLag(java.util.function.DoubleSupplier lagSeconds) {
    Gauge.builder("syncnode.feed.lag", lagSeconds, java.util.function.DoubleSupplier::getAsDouble)
        .description("How long the oldest running writer of the synced tables has held the change feed back")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }

  /**
   * How many times the node moved its writes to another server (a failover of PostgreSQL's
   * primary), and how far each replica of pg.replicas lags behind the primary.
   */
  public void watchDatabase(io.syncnode.store.PrimaryPool primary, io.syncnode.store.ReadPools replicas) {
    // the pool lives as long as the node, which holds it (a counter holds what it reads weakly)
    FunctionCounter.builder("syncnode.pg.failovers", primary, io.syncnode.store.PrimaryPool::failovers)
        .description("Times the node found a new PostgreSQL primary among pg.hosts and moved its writes to it")
        .register(registry);
    List<String> addresses = replicas.addresses();
    for (int i = 0; i < addresses.size(); i++) {
      int index = i;
      Gauge.builder("syncnode.pg.replica.lag", replicas, r -> r.lagSeconds(index))
          .description("How far the replica lags behind the primary (as last checked; NaN while unknown)")
          .tag("replica", addresses.get(i))
          .baseUnit("seconds")
          .strongReference(true)
          .register(registry);
    }
  }
}
