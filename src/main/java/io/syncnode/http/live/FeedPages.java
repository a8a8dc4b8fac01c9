package io.syncnode.http.live;

import io.syncnode.http.common.PerType;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.FeedCut;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.worker.api.FeedEntry;
import io.syncnode.worker.api.FeedMark;
import io.syncnode.worker.api.FeedQuery;
import io.syncnode.worker.api.Workers;
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
    return PerType.all(type -> workers.entities(type).feedPositions(window, PAGE_SIZE + 1, false)).compose(found -> {
      long[] all = Arrays.stream(EntityType.values()).flatMapToLong(type -> Arrays.stream(found.of(type).inWindow()))
          .sorted().toArray();
      FeedCut cut = FeedCut.of(all, PAGE_SIZE, after, bound);
      FeedQuery rows = new FeedQuery(tenant, after, cut.end(), null, null);
      List<FeedEntry<SyncEntity>> entries = new ArrayList<>();
      List<Future<Void>> reads = new ArrayList<>();
      for (EntityType type : EntityType.values()) {
        long[] ofType = found.of(type).inWindow();
        if (ofType.length > 0 && ofType[0] <= cut.end()) {
          reads.add(workers.<FeedEntry<SyncEntity>>eachChunk(workers.entities(type).feedEntries(rows), chunk -> {
            entries.addAll(chunk);
            return Future.succeededFuture();
          }));
        }
      }
      return Future.all(reads).map(read -> {
        entries.sort(Comparator.comparingLong(FeedEntry::position));
        return new Page(entries, cut.cursor(), cut.hasMore());
      });
    });
  }
}
