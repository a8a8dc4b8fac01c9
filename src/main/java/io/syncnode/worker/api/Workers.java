package io.syncnode.worker.api;

import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.worker.api.Messages.Chunk;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The node's workers as the HTTP side sees them: one typed client per worker, over the local event bus. */
public final class Workers {
  private final EventBus eventBus;
  private final BusRequests bus;
  private final Map<EntityType, EntityWorkerApi<SyncEntity>> entities = new EnumMap<>(EntityType.class);
  private final DeviceApi devices;
  private final KeyApi keys;

  /** Requests not answered within {@code timeoutMs} fail as unavailable. */
  public Workers(EventBus eventBus, long timeoutMs) {
    this.eventBus = eventBus;
    this.bus = new BusRequests(eventBus, timeoutMs);
    for (EntityType type : EntityType.values()) {
      entities.put(type, new EntityWorkerClient<>(bus, Addresses.of(type)));
    }
    this.devices = new DeviceClient(bus);
    this.keys = new KeyClient(bus);
  }

  /** The same workers, with requests failing after {@code timeoutMs}. */
  public Workers within(long timeoutMs) {
    return new Workers(eventBus, timeoutMs);
  }

  public EntityWorkerApi<SyncEntity> entities(EntityType type) {
    return entities.get(type);
  }

  public DeviceApi devices() {
    return devices;
  }

  public KeyApi keys() {
    return keys;
  }

  /**
   * Gives each chunk of a streamed answer to {@code consumer}, in order, reading at most one chunk
   * ahead; if the consumer fails, the worker's cursor is closed.
   */
  public <T> Future<Void> eachChunk(Future<Chunk<T>> first, Function<List<T>, Future<Void>> consumer) {
    return ChunkReader.each(bus, first, consumer);
  }

  /** Gives up a streamed answer nobody will read: the worker closes its cursor. */
  public <T> Future<Void> cancel(Future<Chunk<T>> first) {
    return ChunkReader.cancel(bus, first);
  }
}
