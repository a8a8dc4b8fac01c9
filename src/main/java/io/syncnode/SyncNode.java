package io.syncnode;

import io.syncnode.config.NodeConfig;
import io.syncnode.http.HttpVerticle;
import io.syncnode.protocol.Edge;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.Session;
import io.syncnode.store.Database;
import io.syncnode.store.DeviceStore;
import io.syncnode.store.EdgeTable;
import io.syncnode.store.EntityStore;
import io.syncnode.store.FeedWatermark;
import io.syncnode.store.MemoryTable;
import io.syncnode.store.SessionTable;
import io.syncnode.worker.DeviceWorker;
import io.syncnode.worker.EntityWorker;
import io.syncnode.worker.LocalCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * One running node: its workers, its HTTP verticles and its database pool on a Vert.x instance.
 * The database must already be prepared ({@link Database#prepare}).
 */
public final class SyncNode {
  private final Vertx vertx;
  private final Pool pool;
  private final String httpDeployment;
  private final List<String> workerDeployments;

  private SyncNode(Vertx vertx, Pool pool, String httpDeployment, List<String> workerDeployments) {
    this.vertx = vertx;
    this.pool = pool;
    this.httpDeployment = httpDeployment;
    this.workerDeployments = workerDeployments;
  }

  /** Deploys a node on {@code vertx}: workers first, then the HTTP verticles. */
  public static Future<SyncNode> start(Vertx vertx, NodeConfig config) {
    LocalCodec.register(vertx.eventBus());
    Pool pool = Database.pool(vertx, config.pg());
    DeploymentOptions workerOptions = new DeploymentOptions().setInstances(config.workers().instances());
    EntityStore<Memory> memories = new EntityStore<>(pool, new MemoryTable());
    EntityStore<Session> sessions = new EntityStore<>(pool, new SessionTable());
    EntityStore<Edge> edges = new EntityStore<>(pool, new EdgeTable());
    DeviceStore devices = new DeviceStore(pool);
    FeedWatermark watermark = new FeedWatermark(pool);
    List<Future<String>> workers = new ArrayList<>();
    workers.add(vertx.deployVerticle(() -> new EntityWorker<>(memories), workerOptions));
    workers.add(vertx.deployVerticle(() -> new EntityWorker<>(sessions), workerOptions));
    workers.add(vertx.deployVerticle(() -> new EntityWorker<>(edges), workerOptions));
    workers.add(vertx.deployVerticle(() -> new DeviceWorker(devices, watermark), workerOptions));
    return Future.all(workers)
        .compose(done -> vertx.deployVerticle(() -> new HttpVerticle(config),
            new DeploymentOptions().setInstances(config.http().instances())))
        .map(http -> new SyncNode(vertx, pool, http, workers.stream().map(Future::result).toList()))
        .recover(error -> pool.close().transform(closed -> Future.failedFuture(error)));
  }

  /**
   * Stops taking requests, lets those in flight finish, then stops the workers and closes the pool.
   * The Vert.x instance is left to the caller.
   */
  public Future<Void> stop() {
    return vertx.undeploy(httpDeployment)
        .compose(done -> Future.all(workerDeployments.stream().map(vertx::undeploy).toList()))
        .compose(done -> pool.close());
  }
}
