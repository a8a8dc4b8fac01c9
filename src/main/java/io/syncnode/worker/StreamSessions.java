package io.syncnode.worker;

import io.syncnode.store.RowCursor;
import io.syncnode.worker.api.Messages.Chunk;
import io.syncnode.worker.api.Messages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cursors one worker instance keeps open while their results are read chunk by chunk. The
 * reader asks for each next chunk when it has received the previous one, and for the one after
 * only once that one is written, which is the back-pressure: a slow client holds two chunks, not
 * the whole result. Cursors left unread for
 * {@link #IDLE_MS} are closed.
 */
final class StreamSessions {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSessions.class);
  static final int CHUNK_ROWS = 500;
  static final long IDLE_MS = 30_000;

  private final Vertx vertx;
  private final String address;
  private final Map<String, Session> sessions = new HashMap<>();
  private MessageConsumer<Object> consumer;
  private long sweeper;

  private record Session(RowCursor<?> cursor, long[] lastUsed) {}

  /** {@code prefix} names the worker; the instance's own address gets a unique suffix. */
  StreamSessions(Vertx vertx, String prefix) {
    this.vertx = vertx;
    this.address = prefix + "." + UUID.randomUUID();
  }

  Future<Void> start() {
    consumer = vertx.eventBus().localConsumer(address, message -> {
      Object body = message.body();
      if (body instanceof Messages.NextChunk next) {
        Session session = sessions.get(next.streamId());
        if (session == null) {
          message.fail(Replies.INTERNAL, "stream " + next.streamId() + " is closed");
          return;
        }
        session.lastUsed()[0] = System.currentTimeMillis();
        Replies.reply(message, nextChunk(next.streamId(), session.cursor()));
      } else if (body instanceof Messages.CancelStream cancel) {
        close(cancel.streamId());
        message.reply(null);
      }
    });
    sweeper = vertx.setPeriodic(IDLE_MS / 2, t -> closeIdle());
    return consumer.completion();
  }

  /** Reads the first chunk of a freshly opened cursor; the cursor stays open if there is more. */
  <T> Future<Chunk<T>> first(Future<RowCursor<T>> opened) {
    return opened.compose(cursor -> {
      String id = UUID.randomUUID().toString();
      sessions.put(id, new Session(cursor, new long[] {System.currentTimeMillis()}));
      return nextChunk(id, cursor);
    });
  }

  @SuppressWarnings("unchecked")
  private <T> Future<Chunk<T>> nextChunk(String id, RowCursor<?> cursor) {
    return ((RowCursor<T>) cursor).read(CHUNK_ROWS).compose(items -> {
      if (cursor.hasMore()) {
        return Future.succeededFuture(new Chunk<>(address, id, items, false));
      }
      return close(id).map(new Chunk<>(address, id, items, true));
    }, error -> close(id).transform(closed -> Future.failedFuture(error)));
  }

  private Future<Void> close(String id) {
    Session session = sessions.remove(id);
    return session == null ? Future.succeededFuture() : session.cursor().close();
  }

  private void closeIdle() {
    long now = System.currentTimeMillis();
    for (Iterator<Map.Entry<String, Session>> it = sessions.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Session> entry = it.next();
      if (now - entry.getValue().lastUsed()[0] > IDLE_MS) {
        it.remove();
        LOG.warn("closing a result nobody read for {} ms", IDLE_MS);
        entry.getValue().cursor().close();
      }
    }
  }

  Future<Void> stop() {
    vertx.cancelTimer(sweeper);
    sessions.values().forEach(session -> session.cursor().close());
    sessions.clear();
    return consumer.unregister();
  }
}
