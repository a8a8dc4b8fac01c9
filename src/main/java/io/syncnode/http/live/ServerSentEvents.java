package io.syncnode.http.live;

import io.syncnode.protocol.FeedCursor;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.json.EntityWriter;
import io.syncnode.protocol.json.ResponseWriter;
import io.syncnode.worker.api.FeedEntry;
import io.vertx.core.buffer.Buffer;

/**
 * The text/event-stream form of GET /api/sync/events: an entity is an event named after its
 * type, its data the entity's JSON as pulls return it (on one line: JSON escapes line breaks in
 * strings), its id the pull cursor right after it.
 */
final class ServerSentEvents {
  private ServerSentEvents() {}

  static void appendEntity(Buffer out, FeedEntry<SyncEntity> entry) {
    out.appendString("id: ").appendString(FeedCursor.encode(entry.position()))
        .appendString("\nevent: ").appendString(entry.entity().entityType().singular())
        .appendString("\ndata: ").appendBytes(ResponseWriter.json(g -> EntityWriter.write(g, entry.entity())))
        .appendString("\n\n");
  }

  /** A block with only an id: clients take it as their last event id, and dispatch nothing. */
  static String cursor(long position) {
    return "id: " + FeedCursor.encode(position) + "\n\n";
  }

  /** A comment line, which clients ignore and proxies see as traffic. */
  static String comment(String text) {
    return ": " + text + "\n\n";
  }

  /** The last event of a stream the node ends: why, in the shape of the API's errors. */
  static String error(String code, String detail) {
    return "event: error\ndata: " + Buffer.buffer(ResponseWriter.error(code, detail, null)) + "\n\n";
  }
}
