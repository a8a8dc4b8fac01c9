package io.syncnode.http;

import io.syncnode.worker.Messages.CancelStream;
import io.syncnode.worker.Messages.Chunk;
import io.syncnode.worker.Messages.NextChunk;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/** Reads a worker's streamed answer chunk by chunk, asking for the next one only when the last is consumed. */
final class ChunkReader {
  private ChunkReader() {}

  /** Gives each chunk's items to {@code consumer}, in order; if it fails, the worker's cursor is closed. */
  static <T> Future<Void> each(WorkerClient workers, Future<Chunk<T>> first, Function<List<T>, Future<Void>> consumer) {
    return first.compose(chunk -> consumer.apply(chunk.items())
        .recover(error -> {
          if (!chunk.last()) {
            workers.request(chunk.address(), new CancelStream(chunk.streamId()));
          }
          return Future.failedFuture(error);
        })
        .compose(done -> chunk.last() ? Future.<Void>succeededFuture()
            : each(workers, workers.<Chunk<T>>request(chunk.address(), new NextChunk(chunk.streamId())), consumer)));
  }
}
