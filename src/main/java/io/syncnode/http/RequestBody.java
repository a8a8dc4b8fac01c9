package io.syncnode.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body as it came over the wire (still gzip-encoded if it was sent so): in memory, or
 * for a large push in a temporary file. It is read through {@link #open}, which decodes it. The
 * memory it holds is reserved from the node's {@link BodyBudget} until the last holder releases it.
 */
final class RequestBody {
  private static final Logger LOG = LoggerFactory.getLogger(RequestBody.class);
  private static final String KEY = "syncnode.body";
  /** Bodies up to this many bytes on the wire, neither compressed nor in a file, are parsed on the event loop. */
  private static final long INLINE_PARSE_BYTES = 256 * 1024;

  private final List<Buffer> chunks;
  private final Path file;
  private final long wireBytes;
  private final boolean gzip;
  private final long maxDecodedBytes;
  private final BodyBudget.Reservation reservation;
  private final BodyBudget.Reservation onDisk;
  private final AtomicInteger holders = new AtomicInteger(1);

  RequestBody(List<Buffer> chunks, Path file, long wireBytes, boolean gzip, long maxDecodedBytes,
      BodyBudget.Reservation reservation, BodyBudget.Reservation onDisk) {
    this.chunks = chunks;
    this.file = file;
    this.wireBytes = wireBytes;
    this.gzip = gzip;
    this.maxDecodedBytes = maxDecodedBytes;
    this.reservation = reservation;
    this.onDisk = onDisk;
  }

  static RequestBody of(RoutingContext ctx) {
    RequestBody body = ctx.get(KEY);
    if (body == null) {
      throw new IllegalStateException("no body received for " + ctx.normalizedPath());
    }
    return body;
  }

  /** Hands the body to the request's next handlers; it is released when the response is done. */
  void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
    ctx.addEndHandler(done -> release());
  }

  /** Small, plain and in memory: cheaper to parse at once than to hand to a worker thread. */
  boolean parseInline() {
    return file == null && !gzip && wireBytes <= INLINE_PARSE_BYTES;
  }

  /**
   * The decoded body, read from the start; the bytes read count against the node's budget up to
   * {@code reserveUpTo} (the reader holds that much of them at once at most).
   */
  InputStream open(long reserveUpTo) {
    InputStream wire;
    if (file != null) {
      try {
        wire = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      // one chunk copied at a time
      Iterator<Buffer> next = chunks.iterator();
      wire = new SequenceInputStream(new Enumeration<InputStream>() {
        @Override
        public boolean hasMoreElements() {
          return next.hasNext();
        }

        @Override
        public InputStream nextElement() {
          return new ByteArrayInputStream(next.next().getBytes());
        }
      });
    }
    return DecodedBody.of(wire, gzip, maxDecodedBytes, reservation, reserveUpTo);
  }

  /**
   * Takes from the node's budget, before reading, what a reader that holds at most {@code cap}
   * decoded bytes at once needs (less for a plain body that is smaller); that amount, or 503. Taken
   * at once, so that concurrent readers do not each take a part and all run out.
   */
  long reserveForReading(long cap) {
    long needed = gzip ? cap : Math.min(cap, wireBytes);
    if (!reservation.ensure(needed)) {
      throw ApiErrors.busy();
    }
    return needed;
  }

  /** One more holder: the body stays until each has called {@link #release}. */
  RequestBody retain() {
    holders.incrementAndGet();
    return this;
  }

  void release() {
    if (holders.decrementAndGet() != 0) {
      return;
    }
    reservation.release();
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.warn("cannot delete the spooled request body {}: {}", file, e.getMessage());
      }
    }
    onDisk.release();
  }
}
