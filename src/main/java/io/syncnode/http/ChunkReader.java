package io.syncnode.http;

import io.syncnode.worker.Messages.CancelStream;
import io.syncnode.worker.Messages.Chunk;
import io.syncnode.worker.Messages.NextChunk;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.Function;

/** Reads a worker's streamed answer chunk by chunk, asking for the next one only when the last is consumed. */
final class ChunkReader {
  private ChunkReader() {}

  /** Gives each chunk's items to {@code consumer}, in order; if it fails, the worker's cursor is closed. */
  static <T> Future<Void> each(WorkerClient workers, Future<Chunk<T>> first, Function<List<T>, Future<Void>> consumer) {
    Promise<Void> done = Promise.promise();
    step(workers, first, consumer, done);
    return done.future();
  }

  // One step per chunk, not a chain of composed futures: a chain would keep every chunk it has
  // read reachable until the whole answer is written.
  private static <T> void step(WorkerClient workers, Future<Chunk<T>> next, Function<List<T>, Future<Void>> consumer,
      Promise<Void> done) {
    next.onComplete(chunk -> {
      String address = chunk.address();
      String streamId = chunk.streamId();
      boolean last = chunk.last();
      consumer.apply(chunk.items()).onComplete(consumed -> {
        if (last) {
          done.complete();
        } else {
          step(workers, workers.request(address, new NextChunk(streamId)), consumer, done);
        }
      }, error -> {
        if (!last) {
          workers.request(address, new CancelStream(streamId));
        }
        done.fail(error);
      });
    }, done::fail);
  }
}
