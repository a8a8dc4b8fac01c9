package io.syncnode.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;

/**
 * The elements of one JSON array of an answer, added a batch at a time: in memory up to
 * {@link #SPILL_BYTES}, then in a temporary file, so that the answer to a push of any size takes
 * bounded memory. Batches are comma-separated JSON values without brackets.
 */
final class SpooledElements {
  static final int SPILL_BYTES = 1024 * 1024;
  private static final Buffer COMMA = Buffer.buffer(",");

  private final Vertx vertx;
  private Buffer held = Buffer.buffer();
  private Future<AsyncFile> file;
  private String path;
  private Future<?> written = Future.succeededFuture();
  private boolean empty = true;

  SpooledElements(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Adds a batch of elements; the future completes once the batch is held. */
  Future<?> add(byte[] elements) {
    if (elements.length == 0) {
      return written;
    }
    Buffer batch = empty ? Buffer.buffer(elements) : COMMA.copy().appendBytes(elements);
    empty = false;
    if (file == null && held.length() + batch.length() <= SPILL_BYTES) {
      held.appendBuffer(batch);
      return written;
    }
    if (file == null) {
      Buffer first = held;
      held = null;
      file = vertx.fileSystem().createTempFile("syncnode-answer-", ".json")
          .compose(name -> {
            path = name;
            return vertx.fileSystem().open(name, new OpenOptions().setRead(true).setWrite(true));
          });
      written = file.compose(f -> f.write(first));
    }
    written = written.compose(done -> file.result().write(batch));
    return written;
  }

  /** Whether all elements are in memory: {@link #held()} then has them. */
  boolean inMemory() {
    return file == null;
  }

  Buffer held() {
    return held;
  }

  /** Writes the elements to {@code response}, leaving it open. */
  Future<Void> writeTo(HttpServerResponse response) {
    if (file == null) {
      return response.write(held);
    }
    return written.compose(done -> file.result().flush()).compose(flushed -> {
      AsyncFile elements = file.result();
      elements.setReadPos(0);
      return elements.pipe().endOnComplete(false).to(response);
    });
  }

  /** Removes the temporary file, if any. */
  void delete() {
    if (file == null) {
      return;
    }
    file.onComplete(opened -> {
      Future<Void> closed = opened.succeeded() ? opened.result().close() : Future.succeededFuture();
      closed.onComplete(done -> {
        if (path != null) {
          vertx.fileSystem().delete(path);
        }
      });
    });
  }
}
