package io.syncnode.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A JSON response written while it is produced: a Jackson generator over a small buffer that is
 * sent as an HTTP chunk at each {@link #flush()}, which completes only once the connection can
 * take more (back-pressure from a slow client reaches whoever produces the JSON).
 */
final class StreamingJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final int FLUSH_BYTES = 64 * 1024;

  private final HttpServerResponse response;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(FLUSH_BYTES);
  private final JsonGenerator generator;

  StreamingJson(HttpServerResponse response) {
    this.response = response;
    try {
      this.generator = FACTORY.createGenerator(buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Something written with the generator. */
  @FunctionalInterface
  interface Writes {
    void to(JsonGenerator json) throws IOException;
  }

  /** Writes into the generator (nothing is sent until {@link #flush()} or {@link #end()}). */
  Future<Void> write(Writes writes) {
    try {
      writes.to(generator);
      return Future.succeededFuture();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  /** Sends what was generated so far if it is worth a chunk; completes when the client can take more. */
  Future<Void> flush() {
    try {
      generator.flush();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    if (buffer.size() < FLUSH_BYTES) {
      return Future.succeededFuture();
    }
    send();
    return drained();
  }

  /**
   * Sends JSON text produced elsewhere as it is, after what the generator has written so far;
   * completes when the client can take more.
   */
  Future<Void> send(Buffer json) {
    try {
      generator.flush();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    send();
    if (json.length() > 0) {
      writeDirect(json);
    }
    return drained();
  }

  /**
   * Writes {@code json} from a direct buffer of the pooled allocator, released once the write is
   * over. Netty writes only direct buffers to a socket: handed a page's JSON in heap segments, it
   * merged them into a new heap array and copied that into a new, zeroed direct buffer of the page's
   * size (a megabyte for 1,000 memories), a tenth of a reading node's CPU.
   */
  private void writeDirect(Buffer json) {
    ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(json.length());
    try {
      direct.writeBytes(((BufferInternal) json).getByteBuf());
      response.write(BufferInternal.buffer(direct)).onComplete(written -> direct.release());
    } catch (RuntimeException e) {
      direct.release();
      throw e;
    }
  }

  private Future<Void> drained() {
    if (!response.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    response.drainHandler(v -> drained.tryComplete());
    response.closeHandler(v -> drained.tryFail("the client went away"));
    return drained.future();
  }

  /** Sends the rest and ends the response. */
  Future<Void> end() {
    try {
      generator.close();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    send();
    return response.end();
  }

  private void send() {
    if (!response.headWritten()) {
      response.setChunked(true).putHeader("Content-Type", "application/json");
    }
    if (buffer.size() > 0) {
      response.write(Buffer.buffer(buffer.toByteArray()));
      buffer.reset();
    }
  }
}
