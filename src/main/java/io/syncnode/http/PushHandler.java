package io.syncnode.http;

import io.syncnode.http.common.ErrorResponder;
import io.syncnode.http.common.Tenancy;
import io.syncnode.metrics.SyncMeters;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.InputLimits;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.json.PushReader.Item;
import io.syncnode.protocol.json.PushReader;
import io.syncnode.protocol.json.RequestReader;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.worker.api.Messages.DeviceActivity;
import io.syncnode.worker.api.Messages.PushBatch;
import io.syncnode.worker.api.Messages.PushOutcome;
import io.syncnode.worker.api.Workers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * POST /api/sync/push, for a push of any size in bounded memory. The body is stored in chunks of
 * one entity type (at most limits.itemsPerPush entities and about {@link #CHUNK_BYTES} of the
 * body each), in body order, each chunk a batch of its type's worker: its stripes, its transaction,
 * its verdicts, exactly as one push's batch of that type. The first chunk stored also records the
 * device's push. The verdicts of all chunks are merged into one response.
 *
 * <p>Bad input must store nothing, yet chunks commit one after the other. So the body is read
 * twice: the first pass checks all of it (JSON syntax, types, required fields, every limit) before
 * anything is stored, and the second pass, over the same bytes (held by {@link RequestBody}: in
 * memory, or in the temporary file a large push was written to), stores the chunks. The second
 * pass can only meet what the first one already accepted; what can still fail after the first
 * chunk is the database, which is answered 5xx like any failed push, and a client's retry is
 * idempotent. A push of up to {@link #ONE_PASS_BYTES} decoded bytes keeps the first pass's
 * entities and is not read again. An entity that breaks a per-item limit is rejected alone:
 * counted in {@code rejected} and listed in {@code rejected_items} (DESIGN.md, invariant 4).
 */
final class PushHandler implements Handler<RoutingContext> {
  /** A push up to this many decoded bytes is held whole after its first read. */
  static final long ONE_PASS_BYTES = 8L * 1024 * 1024;
  /** A chunk ends once it has taken this many bytes of the body. */
  static final long CHUNK_BYTES = 2L * 1024 * 1024;
  private static final int SUMMARY_CHARS = 80;

  private final Vertx vertx;
  private final RequestReader reader;
  private final Supplier<InputLimits> limits;
  private final Workers workers;
  private final SyncMeters meters;

  PushHandler(Vertx vertx, RequestReader reader, Supplier<InputLimits> limits, Workers workers,
      SyncMeters meters) {
    this.vertx = vertx;
    this.reader = reader;
    this.limits = limits;
    this.workers = workers;
    this.meters = meters;
  }

  /** What the first pass found: the push's header, and its chunks if the body was small enough to keep them. */
  private record Scan(PushReader.Header header, List<List<Item>> chunks) {}

  @Override
  public void handle(RoutingContext ctx) {
    RequestBody body = RequestBody.of(ctx).retain();
    Instant now = Timestamps.now();
    Future<Totals> stored = blocking(body.parseInline(), () -> firstPass(body, now)).compose(scan -> {
      Tenancy.assignDevice(ctx, scan.header().deviceId());
      Totals totals = new Totals(Tenancy.of(ctx), scan.header());
      ctx.addEndHandler(done -> totals.delete());
      Chunks chunks = scan.chunks() != null ? new HeldChunks(scan.chunks()) : new SecondPass(body, now);
      return storeFrom(chunks, chunks.next(), totals)
          .eventually(() -> {
            chunks.close();
            return Future.succeededFuture();
          })
          .compose(done -> totals.recordPush())
          .map(recorded -> {
            // the time of the push, after its writes: see Requests.Pull#byTime for why this misses nothing
            totals.serverTimestamp = Timestamps.now();
            return totals;
          });
    });
    stored.onComplete(done -> body.release());
    stored.compose(totals -> totals.answer(ctx.response()))
        .onFailure(error -> ErrorResponder.send(ctx, ErrorResponder.toApiError(error, 500)));
  }

  private Scan firstPass(RequestBody body, Instant now) {
    try (PushReader push = reader.pushReader(body.open(body.reserveForReading(ONE_PASS_BYTES)), now, true)) {
      List<List<Item>> held = new ArrayList<>();
      long heldBytes = 0;
      for (List<Item> chunk = next(push); !chunk.isEmpty(); chunk = next(push)) {
        if (held != null) {
          heldBytes += chunk.stream().mapToLong(Item::bytes).sum();
          if (heldBytes <= ONE_PASS_BYTES) {
            held.add(chunk);
          } else {
            held = null;
          }
        }
      }
      return new Scan(push.header(), held);
    }
  }

  private List<Item> next(PushReader push) {
    return push.next(limits.get().itemsPerPush(), CHUNK_BYTES);
  }

  /** Stores the chunk {@code next} yields and the ones after it, reading each next chunk while one is stored. */
  private Future<Void> storeFrom(Chunks chunks, Future<List<Item>> next, Totals totals) {
    return next.compose(chunk -> {
      if (chunk.isEmpty()) {
        return Future.succeededFuture();
      }
      Future<List<Item>> ahead = chunks.next();
      return store(chunk, totals)
          // the chunk read ahead is waited for, so that the reader is closed only after it
          .recover(error -> ahead.transform(read -> Future.failedFuture(error)))
          .compose(stored -> storeFrom(chunks, ahead, totals));
    });
  }

  private Future<Void> store(List<Item> chunk, Totals totals) {
    EntityType type = chunk.get(0).type();
    List<SyncEntity> entities = new ArrayList<>(chunk.size());
    for (Item read : chunk) {
      Item item = PushReader.checkOwnCounter(totals.header.deviceId(), read);
      if (item.isRejected()) {
        totals.reject(item);
      } else {
        entities.add(item.entity());
      }
    }
    if (entities.isEmpty()) {
      return totals.flushRejected().mapEmpty();
    }
    boolean recordPush = !totals.recordingPush;
    totals.recordingPush = true;
    return workers.entities(type).push(new PushBatch<>(totals.tenant, totals.header.deviceId(), totals.header.force(), entities, recordPush))
        .compose(outcome -> {
          meters.pushed(type, entities.size(), outcome.resolution());
          return totals.add(type, outcome);
        })
        .mapEmpty();
  }

  private <T> Future<T> blocking(boolean inline, java.util.concurrent.Callable<T> work) {
    if (inline) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.executeBlocking(work, false);
  }

  /** The chunks of a push, in body order; an empty chunk ends them. */
  private interface Chunks {
    Future<List<Item>> next();

    void close();
  }

  private static final class HeldChunks implements Chunks {
    private final List<List<Item>> chunks;
    private int next;

    HeldChunks(List<List<Item>> chunks) {
      this.chunks = chunks;
    }

    @Override
    public Future<List<Item>> next() {
      return Future.succeededFuture(next < chunks.size() ? chunks.get(next++) : List.of());
    }

    @Override
    public void close() {}
  }

  /** The body read again from its start, a chunk at a time, on a worker thread. */
  private final class SecondPass implements Chunks {
    private final RequestBody body;
    private final Instant now;
    private PushReader push;

    SecondPass(RequestBody body, Instant now) {
      this.body = body;
      this.now = now;
    }

    @Override
    public Future<List<Item>> next() {
      return vertx.executeBlocking(() -> {
        if (push == null) {
          push = reader.pushReader(body.open(body.reserveForReading(ONE_PASS_BYTES)), now, false);
        }
        return PushHandler.this.next(push);
      }, true);
    }

    @Override
    public void close() {
      if (push != null) {
        push.close();
      }
    }
  }

  /**
   * The verdicts of the chunks stored so far: counts, and the elements of the answer's lists,
   * spooled as each chunk is stored.
   */
  private final class Totals {
    final String tenant;
    final PushReader.Header header;
    final int[] accepted = new int[EntityType.values().length];
    final int[] rejected = new int[EntityType.values().length];
    int conflicts;
    final SpooledElements conflictElements = new SpooledElements(vertx);
    final SpooledElements pushedItems = new SpooledElements(vertx);
    final SpooledElements rejectedItems = new SpooledElements(vertx);
    final List<io.syncnode.protocol.Responses.RejectedItem> rejectedOfChunk = new ArrayList<>();
    boolean recordingPush;
    boolean recorded;
    Instant serverTimestamp;

    Totals(String tenant, PushReader.Header header) {
      this.tenant = tenant;
      this.header = header;
    }

    void reject(Item item) {
      rejected[item.type().ordinal()]++;
      rejectedOfChunk.add(item.rejected());
    }

    Future<?> flushRejected() {
      if (rejectedOfChunk.isEmpty()) {
        return Future.succeededFuture();
      }
      byte[] elements = ResponseWriter.rejectedItems(rejectedOfChunk);
      rejectedOfChunk.clear();
      return rejectedItems.add(elements);
    }

    Future<?> add(EntityType type, PushOutcome<SyncEntity> outcome) {
      accepted[type.ordinal()] += outcome.resolution().accepted();
      rejected[type.ordinal()] += outcome.resolution().rejected();
      conflicts += outcome.resolution().conflicts().size();
      if (outcome.recordedPush()) {
        recorded = true;
      }
      List<io.syncnode.protocol.Responses.PushedItem> items = new ArrayList<>();
      if (type == EntityType.MEMORY) {
        for (SyncEntity entity : outcome.resolution().acceptedEntities()) {
          items.add(pushedItem((Memory) entity));
        }
      }
      return Future.all(conflictElements.add(ResponseWriter.conflicts(outcome.resolution().conflicts())),
          pushedItems.add(ResponseWriter.pushedItems(items)), flushRejected());
    }

    /** Records the device's push, unless the chunk that stored the first entities did. */
    Future<Void> recordPush() {
      if (recorded) {
        return Future.succeededFuture();
      }
      return workers.devices().record(DeviceActivity.push(tenant, header.deviceId())).mapEmpty();
    }

    /** Answers 200 with the counts and the lists: in one buffer when the lists are in memory, else streamed. */
    Future<Void> answer(io.vertx.core.http.HttpServerResponse response) {
      io.syncnode.protocol.Responses.Push counts = new io.syncnode.protocol.Responses.Push(
          counts(EntityType.MEMORY), counts(EntityType.SESSION), counts(EntityType.EDGE), conflicts,
          serverTimestamp != null ? serverTimestamp : Instant.EPOCH);
      response.putHeader("Content-Type", "application/json");
      Buffer head = Buffer.buffer(ResponseWriter.pushHead(counts));
      if (conflictElements.inMemory() && pushedItems.inMemory() && rejectedItems.inMemory()) {
        return response.end(head.appendBuffer(conflictElements.held())
            .appendBytes(ResponseWriter.PUSH_PUSHED_ITEMS).appendBuffer(pushedItems.held())
            .appendBytes(ResponseWriter.PUSH_REJECTED_ITEMS).appendBuffer(rejectedItems.held())
            .appendBytes(ResponseWriter.PUSH_END));
      }
      response.setChunked(true);
      return response.write(head)
          .compose(v -> conflictElements.writeTo(response))
          .compose(v -> response.write(Buffer.buffer(ResponseWriter.PUSH_PUSHED_ITEMS)))
          .compose(v -> pushedItems.writeTo(response))
          .compose(v -> response.write(Buffer.buffer(ResponseWriter.PUSH_REJECTED_ITEMS)))
          .compose(v -> rejectedItems.writeTo(response))
          .compose(v -> response.end(Buffer.buffer(ResponseWriter.PUSH_END)));
    }

    void delete() {
      conflictElements.delete();
      pushedItems.delete();
      rejectedItems.delete();
    }

    private io.syncnode.protocol.Responses.TypeCounts counts(EntityType type) {
      return new io.syncnode.protocol.Responses.TypeCounts(accepted[type.ordinal()], rejected[type.ordinal()]);
    }
  }

  /** What newer clients list of each accepted memory: its summary, or the start of its content. */
  private static io.syncnode.protocol.Responses.PushedItem pushedItem(Memory m) {
    String summary = m.summary();
    if (summary == null) {
      String content = m.content();
      summary = content.length() > SUMMARY_CHARS ? content.substring(0, SUMMARY_CHARS) + "..." : content;
    }
    return new io.syncnode.protocol.Responses.PushedItem(m.id(), m.type(), summary, m.namespaceId());
  }
}
