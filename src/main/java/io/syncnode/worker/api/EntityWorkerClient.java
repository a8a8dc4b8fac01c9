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
  public Future<FeedPositions> feedPositions(FeedQuery window, int limit, boolean withAbove) {
    return bus.request(addresses.feedPositions(), new FeedPositionsQuery(window, limit, withAbove));
  }

  @Override
  public Future<FeedRows> feedRows(FeedQuery query, int atMost) {
    return bus.request(addresses.feedRows(), new Messages.FeedRowsQuery(query, atMost));
  }

  @Override
  public Future<Chunk<FeedJson>> feedJson(FeedQuery query, int rowsExpected) {
    return bus.request(addresses.feedJson(), new Messages.FeedJsonQuery(query, rowsExpected));
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
