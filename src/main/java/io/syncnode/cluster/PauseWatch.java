package io.syncnode.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.cluster.impl.ClusterHeartbeatManager;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that this process stood still (SIGSTOP, a suspended VM, a long GC pause): a periodic timer
 * that finds a gap of more than {@value #PAUSE_THRESHOLD_MS} ms since its last tick. After such a
 * pause the member's view of the cluster is stale: the others may have removed it long ago while it
 * still lists them (and they it). Until every other member of its view has been heard from again (a
 * Hazelcast heartbeat received after the pause), {@link #staleReason()} says why the view is not to
 * be trusted and /ready answers 503. Members that removed the node send it no heartbeat; it then
 * drops them from its own view within a heartbeat check, and is taken back by the split-brain merge.
 */
public final class PauseWatch {
  private static final Logger LOG = LoggerFactory.getLogger(PauseWatch.class);
  static final long TICK_MS = 250;
  static final long PAUSE_THRESHOLD_MS = 2_000;

  private final HazelcastInstance hazelcast;
  private long lastTick = System.nanoTime();
  /** Cluster time of the end of the last pause whose view is not yet confirmed, or -1. */
  private volatile long resumedAt = -1;
  private volatile long pausedMs;

  private PauseWatch(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  /** Starts watching on {@code vertx}'s timers. */
  public static PauseWatch start(Vertx vertx, HazelcastInstance hazelcast) {
    PauseWatch watch = new PauseWatch(hazelcast);
    vertx.setPeriodic(TICK_MS, id -> watch.tick());
    return watch;
  }

  private void tick() {
    long now = System.nanoTime();
    long gapMs = TimeUnit.NANOSECONDS.toMillis(now - lastTick);
    lastTick = now;
    if (gapMs > PAUSE_THRESHOLD_MS && hazelcast.getLifecycleService().isRunning()) {
      pausedMs = gapMs;
      resumedAt = hazelcast.getCluster().getClusterTime();
      LOG.warn("the node stood still for {} ms; not ready until every member has been heard from again", gapMs);
    }
  }

  /** Null while the node's cluster view is current; after a pause, why it is not yet. */
  public String staleReason() {
    long since = resumedAt;
    if (since < 0) {
      return null;
    }
    if (!hazelcast.getLifecycleService().isRunning()) {
      return "not in the cluster";
    }
    ClusterHeartbeatManager heartbeats = ((HazelcastInstanceProxy) hazelcast).getOriginal().node
        .getClusterService().getClusterHeartbeatManager();
    List<String> silent = new ArrayList<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (!member.localMember() && heartbeats.getLastHeartbeatTime(member) < since) {
        silent.add(member.getAddress().toString());
      }
    }
    if (silent.isEmpty()) {
      resumedAt = -1;
      LOG.info("the cluster view is confirmed again after a pause of {} ms: {} members", pausedMs,
          hazelcast.getCluster().getMembers().size());
      return null;
    }
    return "the node stood still for " + pausedMs + " ms and has not heard from " + silent + " since";
  }
}
