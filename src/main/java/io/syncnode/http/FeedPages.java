package io.syncnode.http;

import io.syncnode.worker.api.Workers;
import io.syncnode.worker.api.FeedMark;

import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.worker.api.FeedEntry;
import io.syncnode.worker.api.FeedQuery;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a tenant's change feed through the workers, a page at a time, each entity with its
 * position, memories, sessions and edges together in the feed's order. As for a pull, only
 * positions below the watermark are read: no transaction can commit below them any more.
 */
final class FeedPages {
  static final int PAGE_SIZE = 100;
  private static final EntityType[] TYPES = EntityType.values();

  private final Workers workers;

  FeedPages(Workers workers) {
    this.workers = workers;
  }

  /**
   * Up to {@link #PAGE_SIZE} entities after {@code after}; {@code next} is where the next page
   * starts, and once the feed below {@code bound} is drained, everything below it has been read.
   */
  record Page(List<FeedEntry<SyncEntity>> entries, long next, boolean more) {}

  /** The current watermark: positions below it are final. */
  Future<Long> bound() {
    return workers.devices().watermark()
        .map(FeedMark::positionBound);
  }

  Future<Page> after(String tenant, long after, long bound) {
    FeedQuery window = new FeedQuery(tenant, after, bound, null, null);
    List<Future<long[]>> positions = new ArrayList<>();
    for (EntityType type : TYPES) {
      positions.add(workers.entities(type).feedPositions(window, PAGE_SIZE + 1));
    }
    return Future.all(positions).compose(done -> {
      long[] all = positions.stream().flatMapToLong(p -> Arrays.stream(p.result())).sorted().toArray();
      boolean more = all.length > PAGE_SIZE;
      long end = more ? all[PAGE_SIZE - 1] : all.length > 0 ? all[all.length - 1] : after;
      long next = more ? end : Math.max(end, bound - 1);
      FeedQuery rows = new FeedQuery(tenant, after, end, null, null);
      List<FeedEntry<SyncEntity>> entries = new ArrayList<>();
      List<Future<Void>> reads = new ArrayList<>();
      for (int t = 0; t < TYPES.length; t++) {
        long[] ofType = positions.get(t).result();
        if (ofType.length > 0 && ofType[0] <= end) {
          reads.add(workers.<FeedEntry<SyncEntity>>eachChunk(workers.entities(TYPES[t]).feedEntries(rows), chunk -> {
                entries.addAll(chunk);
                return Future.succeededFuture();
              }));
        }
      }
      return Future.all(reads).map(read -> {
        entries.sort(Comparator.comparingLong(FeedEntry::position));
        return new Page(entries, next, more);
      });
    });
  }
}
