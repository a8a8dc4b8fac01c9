package io.syncnode.worker.api;

import io.syncnode.protocol.SyncEntity;
import io.syncnode.worker.api.Addresses.EntityAddresses;
import io.syncnode.worker.api.Messages.Chunk;
import io.syncnode.worker.api.Messages.CountAfter;
import io.syncnode.worker.api.Messages.DiffQuery;
import io.syncnode.worker.api.Messages.FeedPositionsQuery;
import io.syncnode.worker.api.Messages.ManifestDeletes;
import io.syncnode.worker.api.Messages.MerkleQuery;
import io.syncnode.worker.api.Messages.PushBatch;
import io.syncnode.worker.api.Messages.PushOutcome;
import io.vertx.core.Future;

/** An entity type's worker, reached over the local event bus. */
final class EntityWorkerClient<E extends SyncEntity> implements EntityWorkerApi<E> {
  private final BusRequests bus;
  private final EntityAddresses addresses;

  EntityWorkerClient(BusRequests bus, EntityAddresses addresses) {
    this.bus = bus;
    this.addresses = addresses;
  }

  @Override
  public Future<PushOutcome<E>> push(PushBatch<E> batch) {
    return bus.request(addresses.push(), batch);
  }

  @Override
  public Future<long[]> feedPositions(FeedQuery query, int limit) {
    return bus.<Messages.FeedPositions>request(addresses.feedPositions(), new FeedPositionsQuery(query, limit))
        .map(Messages.FeedPositions::positions);
  }

  @Override
  public Future<Chunk<FeedJson>> feedJson(FeedQuery query) {
    return bus.request(addresses.feedJson(), query);
  }

  @Override
  public Future<Chunk<FeedEntry<E>>> feedEntries(FeedQuery query) {
    return bus.request(addresses.feedEntries(), query);
  }

  @Override
  public Future<Long> countAfter(String tenant, long position, String deviceId) {
    return bus.request(addresses.countAfter(), new CountAfter(tenant, position, deviceId));
  }

  @Override
  public Future<Chunk<DiffRow<E>>> diff(DiffQuery query) {
    return bus.request(addresses.diff(), query);
  }

  @Override
  public Future<AppliedDeletes> manifestDeletes(ManifestDeletes request) {
    return bus.request(addresses.manifestDeletes(), request);
  }

  @Override
  public Future<MerkleSummary> merkle(MerkleQuery query) {
    return bus.request(addresses.merkle(), query);
  }

  @Override
  public Future<Chunk<MerkleEntry>> merkleEntries(MerkleQuery query) {
    return bus.request(addresses.merkleEntries(), query);
  }
}
