package io.syncnode;

import com.hazelcast.core.HazelcastInstance;
import io.syncnode.auth.RequestRateLimiter;
import io.syncnode.cluster.HazelcastStripeLocks;
import io.syncnode.cluster.LocalStripeLocks;
import io.syncnode.cluster.NoStripeLocks;
import io.syncnode.cluster.NodeThenClusterStripeLocks;
import io.syncnode.cluster.PauseWatch;
import io.syncnode.cluster.StripeLocks;
import io.syncnode.config.CurrentConfig;
import io.syncnode.config.NodeConfig;
import io.syncnode.http.HttpGuards;
import io.syncnode.http.HttpVerticle;
import io.syncnode.http.live.LiveCounters;
import io.syncnode.metrics.MeteredStripeLocks;
import io.syncnode.metrics.NodeMetrics;
import io.syncnode.protocol.Edge;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.Session;
import io.syncnode.store.Database;
import io.syncnode.store.PrimaryPool;
import io.syncnode.store.ReadPools;
import io.syncnode.store.DeviceStore;
import io.syncnode.store.EdgeTable;
import io.syncnode.store.EntityStore;
import io.syncnode.store.FeedMarks;
import io.syncnode.store.FeedWatermark;
import io.syncnode.store.KeyStore;
import io.syncnode.store.MemoryTable;
import io.syncnode.store.Readiness;
import io.syncnode.store.SessionTable;
import io.syncnode.store.TableStatistics;
import io.syncnode.worker.ChangeEventListener;
import io.syncnode.worker.DeviceWorker;
import io.syncnode.worker.EntityWorker;
import io.syncnode.worker.KeyWorker;
import io.syncnode.worker.LocalCodec;
import io.syncnode.worker.MaintenanceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running node: its workers, its HTTP verticles and its database pool on a Vert.x instance
 * (clustered or not). The database must already be prepared ({@link Database#prepare}).
 */
public final class SyncNode {
  private final Vertx vertx;
  private final CurrentConfig config;
  private final Pool pool;
  private final ReadPools reads;
  private final String httpDeployment;
  private final List<String> workerDeployments;
  private final AtomicLong changeEvents;
  private final AtomicLong changedEntities;
  private final LiveCounters live;
  private final HttpGuards guards;
  private final KeyStore keys;

  private SyncNode(Vertx vertx, CurrentConfig config, Pool pool, ReadPools reads, String httpDeployment,
      List<String> workerDeployments, AtomicLong changeEvents, AtomicLong changedEntities, LiveCounters live,
      HttpGuards guards, KeyStore keys) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.reads = reads;
    this.httpDeployment = httpDeployment;
    this.workerDeployments = workerDeployments;
    this.changeEvents = changeEvents;
    this.changedEntities = changedEntities;
    this.live = live;
    this.guards = guards;
    this.keys = keys;
  }

  /** Deploys a node on a non-clustered {@code vertx}. */
  public static Future<SyncNode> start(Vertx vertx, NodeConfig config) {
    return start(vertx, config, null);
  }

  /**
   * Deploys a node on {@code vertx} with metrics of its own (per metrics.enabled): syncnode's meters
   * only, as {@code vertx} was not built to report to them.
   */
  public static Future<SyncNode> start(Vertx vertx, NodeConfig config, HazelcastInstance hazelcast) {
    return start(vertx, config, hazelcast, NodeMetrics.create(config.metrics().enabled()));
  }

  /**
   * Deploys a node on {@code vertx}: workers first, then the HTTP verticles. {@code hazelcast} is
   * the cluster member under a clustered Vert.x, null otherwise. {@code metrics} are the node's;
   * Vert.x's own meters are among them when {@code vertx} was built by {@link NodeMetrics#vertxBuilder}.
   */
  public static Future<SyncNode> start(Vertx vertx, NodeConfig config, HazelcastInstance hazelcast,
      NodeMetrics metrics) {
    return start(vertx, CurrentConfig.fixed(config), hazelcast, metrics);
  }

  /**
   * Deploys a node whose reloadable settings ({@link CurrentConfig#RELOADABLE}) are read from
   * {@code current} as they are used, so that a reload reaches them.
   */
  public static Future<SyncNode> start(Vertx vertx, CurrentConfig current, HazelcastInstance hazelcast,
      NodeMetrics metrics) {
    NodeConfig config = current.get();
    StripeLocks locks;
    try {
      locks = new MeteredStripeLocks(locks(vertx, config, hazelcast), metrics.sync());
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    LocalCodec.register(vertx.eventBus());
    PrimaryPool pool = PrimaryPool.open(vertx, config.pg());
    DeploymentOptions workerOptions = new DeploymentOptions().setInstances(config.workers().instances());
    int stripes = config.locks().stripes();
    ReadPools reads = ReadPools.open(vertx, config.pg(), pool);
    EntityStore<Memory> memories = new EntityStore<>(pool, reads, new MemoryTable());
    EntityStore<Session> sessions = new EntityStore<>(pool, reads, new SessionTable());
    EntityStore<Edge> edges = new EntityStore<>(pool, reads, new EdgeTable());
    DeviceStore devices = new DeviceStore(pool, pool.pullClient());
    FeedWatermark watermark = new FeedWatermark(pool, reads, new FeedMarks(pool), config.feed().lagWarnMs());
    RequestRateLimiter rateLimiter = RequestRateLimiter.requests(() -> current.get().auth());
    AtomicLong changeEvents = new AtomicLong();
    AtomicLong changedEntities = new AtomicLong();
    metrics.sync().watch(changeEvents, changedEntities, clusterMembers(hazelcast));
    metrics.sync().watchFeedLag(watermark::lagSeconds);
    LiveCounters live = new LiveCounters(() -> current.get().live().maxConnectionsPerTenant());
    HttpGuards guards = HttpGuards.create(vertx, current);
    KeyStore keys = new KeyStore(pool);
    java.util.function.Supplier<String> inCluster = clusterCheck(vertx, hazelcast, config.cluster().minMembers());
    List<Future<String>> workers = new ArrayList<>();
    workers.add(vertx.deployVerticle(() -> new EntityWorker<>(memories, locks, stripes), workerOptions));
    workers.add(vertx.deployVerticle(() -> new EntityWorker<>(sessions, locks, stripes), workerOptions));
    workers.add(vertx.deployVerticle(() -> new EntityWorker<>(edges, locks, stripes), workerOptions));
    Readiness readiness = new Readiness(pool, reads);
    workers.add(vertx.deployVerticle(() -> new DeviceWorker(devices, watermark, readiness), workerOptions));
    workers.add(vertx.deployVerticle(() -> new KeyWorker(keys), workerOptions));
    workers.add(vertx.deployVerticle(new ChangeEventListener(changeEvents, changedEntities)));
    workers.add(vertx.deployVerticle(new MaintenanceVerticle(new TableStatistics(pool), watermark)));
    metrics.sync().watchDatabase(pool, reads);
    return pool.located().compose(found -> Future.all(workers))
        .compose(done -> vertx.deployVerticle(
            () -> new HttpVerticle(current, rateLimiter, inCluster, metrics,
                live, guards),
            new DeploymentOptions().setInstances(config.http().instances())))
        .map(http -> new SyncNode(vertx, current, pool, reads, http, workers.stream().map(Future::result).toList(),
            changeEvents, changedEntities, live, guards, keys))
        .recover(error -> Future.join(reads.close(), pool.close()).transform(closed -> Future.failedFuture(error)));
  }

  /**
   * Whether the node is in its cluster ("ok", else why not): always for a node that is not
   * clustered; with cluster.minMembers, only while the cluster it sees has that many members, so
   * that a load balancer routes to the majority side of a split; and after the process stood still
   * (see {@link PauseWatch}), only once every member of its view has been heard from again.
   */
  private static java.util.function.Supplier<String> clusterCheck(Vertx vertx, HazelcastInstance hazelcast,
      int minMembers) {
    if (hazelcast == null) {
      return () -> "ok";
    }
    PauseWatch pauses = PauseWatch.start(vertx, hazelcast);
    return () -> {
      if (!hazelcast.getLifecycleService().isRunning()) {
        return "not in the cluster";
      }
      String stale = pauses.staleReason();
      if (stale != null) {
        return stale;
      }
      int members = hazelcast.getCluster().getMembers().size();
      if (members < Math.max(1, minMembers)) {
        return "the cluster has " + members + " member" + (members == 1 ? "" : "s") + ", fewer than cluster.minMembers ("
            + minMembers + ")";
      }
      return "ok";
    };
  }

  private static java.util.function.IntSupplier clusterMembers(HazelcastInstance hazelcast) {
    return hazelcast == null ? () -> 1 : () -> hazelcast.getLifecycleService().isRunning()
        ? hazelcast.getCluster().getMembers().size() : 0;
  }

  private static StripeLocks locks(Vertx vertx, NodeConfig config, HazelcastInstance hazelcast) {
    return switch (config.locks().mode()) {
      case NONE -> new NoStripeLocks();
      case LOCAL -> new LocalStripeLocks(vertx, config.locks().timeoutMs());
      case CLUSTER -> {
        if (hazelcast == null) {
          throw new IllegalStateException("locks.mode=cluster needs a clustered node");
        }
        yield new NodeThenClusterStripeLocks(new LocalStripeLocks(vertx, config.locks().timeoutMs()),
            new HazelcastStripeLocks(vertx, hazelcast, config.locks().timeoutMs(), config.locks().leaseMs()));
      }
    };
  }

  /** The configuration the node runs on now. */
  public CurrentConfig config() {
    return config;
  }

  /** Change events heard from every node of the cluster since start. */
  public long changeEventsSeen() {
    return changeEvents.get();
  }

  /** Entity changes carried by those events. */
  public long changedEntitiesSeen() {
    return changedEntities.get();
  }

  /** The node's live connections (WebSocket and event streams). */
  public LiveCounters live() {
    return live;
  }

  /** The node's client connections: open, refused past http.maxConnections, closed by a deadline. */
  public io.syncnode.http.Connections connections() {
    return guards.connections();
  }

  /** API key lookups the node made in the database since start. */
  public long keyLookups() {
    return keys.lookups();
  }

  /**
   * Reads the TLS certificate and key files again (they are also looked at every few seconds);
   * a node without HTTPS has nothing to read.
   */
  public Future<Void> reloadCertificates() {
    return guards.tls() == null ? Future.succeededFuture() : guards.tls().reload();
  }

  /**
   * Stops taking requests, lets those in flight finish, then stops the workers and closes the pools.
   * The Vert.x instance is left to the caller.
   */
  public Future<Void> stop() {
    return vertx.undeploy(httpDeployment)
        .compose(done -> Future.all(workerDeployments.stream().map(vertx::undeploy).toList()))
        .compose(done -> Future.join(reads.close(), pool.close()).mapEmpty());
  }
}
