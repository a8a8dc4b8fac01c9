package io.syncnode.http;

import io.syncnode.config.NodeConfig.HttpConfig;
import io.syncnode.http.common.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Receives request bodies in place of Vert.x's BodyHandler, which would hold any body whole and
 * let Netty inflate gzip in one go. Bytes are counted as they arrive: past http.maxBodyBytes the
 * answer is 413, past the node's {@link BodyBudget} 503. A body is kept as it came over the wire:
 * decoding, and the limit on the decoded size, happen as it is parsed ({@link DecodedBody}).
 * Bodies of the endpoints that parse them whole stay in memory (at most the budget); a push
 * past {@link #SPOOL_AFTER_BYTES} goes on to a temporary file, read twice later
 * (see {@link PushHandler}); the bytes in such files count against the node's spool budget
 * (http.maxSpooledBodyBytes, 503 past it) until the file is deleted.
 */
final class BodyReceiver {
  /** The bytes of a push body kept in memory before the body is written to a temporary file. */
  static final long SPOOL_AFTER_BYTES = 1024 * 1024;

  private final Vertx vertx;
  private final HttpConfig config;
  private final BodyBudget budget;
  private final BodyBudget spooled;

  BodyReceiver(Vertx vertx, HttpConfig config, BodyBudget budget, BodyBudget spooled) {
    this.vertx = vertx;
    this.config = config;
    this.budget = budget;
    this.spooled = spooled;
  }

  /** The most decoded bytes of a body parsed whole in memory. */
  long maxInMemoryBytes() {
    return Math.min(config.maxBodyBytes(), budget.limit());
  }

  long maxBodyBytes() {
    return config.maxBodyBytes();
  }

  /** For endpoints that parse their body whole: it stays in memory. */
  Handler<RoutingContext> inMemory() {
    return ctx -> receive(ctx, false);
  }

  /** For the push: a large body goes to a temporary file. */
  Handler<RoutingContext> spooling() {
    return ctx -> receive(ctx, true);
  }

  private void receive(RoutingContext ctx, boolean spool) {
    HttpServerRequest request = ctx.request();
    String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
    boolean gzip = false;
    if (encoding != null && !encoding.isBlank()) {
      String coding = encoding.trim().toLowerCase(Locale.ROOT);
      if ((coding.equals("gzip") || coding.equals("x-gzip")) && config.decompression()) {
        gzip = true;
      } else if (!coding.equals("identity")) {
        refuse(ctx, ApiErrors.unsupportedEncoding(coding, config.decompression()));
        return;
      }
    }
    long wireLimit = spool ? config.maxBodyBytes() : maxInMemoryBytes();
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declaredBytes = -1;
    if (declared != null) {
      try {
        declaredBytes = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        // Netty refuses a malformed Content-Length before this
      }
      if (declaredBytes > wireLimit) {
        refuse(ctx, ApiErrors.tooLarge(wireLimit));
        return;
      }
    }
    Receiving receiving = new Receiving(ctx, spool, gzip, wireLimit);
    // A body held whole in memory takes its declared size at once: bodies growing side by side
    // would each take a part of the budget and all run out of it.
    if (!spool && declaredBytes > 0 && !receiving.reservation.ensure(declaredBytes)) {
      refuse(ctx, ApiErrors.busy());
      return;
    }
    if (request.isEnded()) {
      receiving.end();
      return;
    }
    request.handler(receiving::chunk);
    request.endHandler(v -> receiving.end());
    request.exceptionHandler(receiving::broken);
    request.resume();
  }

  /** Answers an error and closes the connection afterwards: the rest of the body is not read. */
  private static void refuse(RoutingContext ctx, ApiError error) {
    if (!ctx.response().headWritten()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    ctx.fail(error);
  }

  /** One body on its way in. */
  private final class Receiving {
    private final RoutingContext ctx;
    private final boolean spool;
    private final boolean gzip;
    private final long wireLimit;
    private final BodyBudget.Reservation reservation = budget.reservation();
    private final BodyBudget.Reservation onDisk = spooled.reservation();
    private final List<Buffer> chunks = new ArrayList<>();
    private long wireBytes;
    private boolean done;
    private boolean spilling;
    private Path path;
    private AsyncFile file;
    private boolean ended;

    Receiving(RoutingContext ctx, boolean spool, boolean gzip, long wireLimit) {
      this.ctx = ctx;
      this.spool = spool;
      this.gzip = gzip;
      this.wireLimit = wireLimit;
      ctx.addEndHandler(v -> {
        if (!done) {
          discard();
        }
      });
    }

    void chunk(Buffer chunk) {
      if (done) {
        return;
      }
      wireBytes += chunk.length();
      if (wireBytes > wireLimit) {
        fail(ApiErrors.tooLarge(wireLimit));
        return;
      }
      if (spilling) {
        if (!onDisk.ensure(wireBytes)) {
          fail(ApiErrors.spoolFull());
          return;
        }
        if (file != null) {
          write(chunk);
          return;
        }
      }
      if (!reservation.ensure(wireBytes)) {
        fail(ApiErrors.busy());
        return;
      }
      chunks.add(chunk);
      if (spool && !spilling && wireBytes > SPOOL_AFTER_BYTES) {
        spill();
      }
    }

    /** Moves what is held to a temporary file; later chunks go straight there. */
    private void spill() {
      if (!onDisk.ensure(wireBytes)) {
        fail(ApiErrors.spoolFull());
        return;
      }
      spilling = true;
      ctx.request().pause();
      vertx.fileSystem().createTempFile("syncnode-push-", ".body")
          .compose(name -> {
            path = Path.of(name);
            return vertx.fileSystem().open(name, new OpenOptions().setWrite(true));
          })
          .onComplete(opened -> {
            if (done) {
              if (opened.succeeded()) {
                opened.result().close();
              }
              deleteFile();
              return;
            }
            if (opened.failed()) {
              fail(opened.cause());
              return;
            }
            file = opened.result();
            file.exceptionHandler(this::fail);
            for (Buffer held : chunks) {
              file.write(held);
            }
            chunks.clear();
            reservation.release();
            if (ended) {
              end();
            } else {
              ctx.request().resume();
            }
          });
    }

    private void write(Buffer chunk) {
      file.write(chunk);
      if (file.writeQueueFull()) {
        ctx.request().pause();
        file.drainHandler(v -> {
          if (!done) {
            ctx.request().resume();
          }
        });
      }
    }

    void end() {
      if (done) {
        return;
      }
      ended = true;
      if (spilling && file == null) {
        return; // the file is being opened; it ends the body when it is
      }
      done = true;
      if (file == null) {
        new RequestBody(chunks, null, wireBytes, gzip, spool ? config.maxBodyBytes() : maxInMemoryBytes(), reservation,
            onDisk).attach(ctx);
        ctx.next();
        return;
      }
      file.close().onComplete(closed -> {
        if (closed.failed()) {
          deleteFile();
          onDisk.release();
          ctx.fail(closed.cause());
          return;
        }
        new RequestBody(List.of(), path, wireBytes, gzip, config.maxBodyBytes(), reservation, onDisk).attach(ctx);
        ctx.next();
      });
    }

    void broken(Throwable error) {
      // the connection closed or broke before the body's end: there is no one to answer
      if (!done) {
        discard();
      }
    }

    private void fail(Throwable error) {
      if (done) {
        return;
      }
      discard();
      if (error instanceof ApiError api) {
        refuse(ctx, api);
      } else {
        ctx.fail(error);
      }
    }

    /** Gives back what this body held; later chunks are dropped as they come. */
    private void discard() {
      done = true;
      chunks.clear();
      reservation.release();
      if (file != null) {
        file.close().onComplete(closed -> {
          deleteFile();
          onDisk.release();
        });
        file = null;
      } else {
        onDisk.release(); // nothing was written yet: a file being opened is deleted once it is
      }
    }

    private void deleteFile() {
      if (path != null) {
        vertx.fileSystem().delete(path.toString());
      }
    }
  }
}
