package io.syncnode.worker.api;

import io.vertx.core.buffer.Buffer;

/**
 * A chunk of a feed page's rows as protocol JSON (see JsonChunks), with the positions of its rows
 * at or above the query's {@code aboveFrom}: what a pull's cursor says it has served above the bound.
 */
public record FeedJson(Buffer json, long[] positionsAbove) {}
