package io.syncnode.worker.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.Function;

/** Reads a worker's streamed answer chunk by chunk, reading at most one chunk ahead of the one being consumed. */
final class ChunkReader {
  private ChunkReader() {}

  /** Gives each chunk's items to {@code consumer}, in order; if it fails, the worker's cursor is closed. */
  static <T> Future<Void> each(BusRequests workers, Future<Messages.Chunk<T>> first, Function<List<T>, Future<Void>> consumer) {
    Promise<Void> done = Promise.promise();
    step(workers, first, consumer, done);
    return done.future();
  }

  // One step per chunk, not a chain of composed futures: a chain would keep every chunk it has
  // read reachable until the whole answer is written.
  private static <T> void step(BusRequests workers, Future<Messages.Chunk<T>> next, Function<List<T>, Future<Void>> consumer,
      Promise<Void> done) {
    next.onComplete(chunk -> {
      String address = chunk.address();
      String streamId = chunk.streamId();
      boolean last = chunk.last();
      // The next chunk is read from the database while this one is written: one chunk ahead, no more.
      Future<Messages.Chunk<T>> following = last ? null : workers.request(address, new Messages.NextChunk(streamId));
      consumer.apply(chunk.items()).onComplete(consumed -> {
        if (last) {
          done.complete();
        } else {
          step(workers, following, consumer, done);
        }
      }, error -> {
        if (!last) {
          following.onComplete(read -> workers.request(address, new Messages.CancelStream(streamId)));
        }
        done.fail(error);
      });
    }, done::fail);
  }

  /** Closes the worker's cursor behind a first chunk that will not be read, if one is open. */
  static <T> Future<Void> cancel(BusRequests workers, Future<Messages.Chunk<T>> first) {
    return first.transform(read -> read.succeeded() && !read.result().last()
        ? workers.<Void>request(read.result().address(), new Messages.CancelStream(read.result().streamId())).mapEmpty()
        : Future.<Void>succeededFuture());
  }
}
