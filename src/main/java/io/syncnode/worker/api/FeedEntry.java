package io.syncnode.worker.api;

import io.syncnode.protocol.SyncEntity;

/** An entity of the change feed with its position in it. */
public record FeedEntry<E extends SyncEntity>(long position, E entity) {}
