package io.syncnode.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.InputLimits;
import io.syncnode.protocol.InvalidInputException;
import io.syncnode.protocol.Responses.RejectedItem;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.schema.EntitySchemas;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a push body a few entities at a time, in body order, so that a push of any size is
 * decoded in bounded memory. Each call of {@link #next} gives entities of one type only. An entity
 * that breaks a per-item limit comes out rejected (its value dropped); anything else the protocol
 * does not allow fails the read with an {@link InvalidInputException}, as {@link RequestReader} does.
 */
public final class PushReader implements Closeable {
  /** An entity read, or its rejection; {@code bytes} is how much of the body it took. */
  public record Item(EntityType type, int index, SyncEntity entity, RejectedItem rejected, long bytes) {
    public boolean isRejected() {
      return rejected != null;
    }
  }

  /** The push's fields other than its entities: known once the whole body has been read. */
  public record Header(String deviceId, boolean force) {}

  private final JsonParser parser;
  private final JsonIn in;
  private final EntityReader entities;
  private final InputLimits limits;
  private final boolean readHeader;
  private EntityType current;
  private int index;
  private boolean finished;
  private String deviceId;
  private boolean force;

  private PushReader(JsonParser parser, InputLimits limits, Instant now, boolean readHeader) {
    this.parser = parser;
    this.in = new JsonIn(parser);
    this.entities = new EntityReader(in, limits, now);
    this.limits = limits;
    this.readHeader = readHeader;
  }

  /**
   * A reader positioned at the start of the body. {@code now} is the time given to entities that
   * name none (the same for every read of one push). Without {@code readHeader}, device_id and
   * force are skipped: a second read of a body already checked whole.
   */
  static PushReader open(JsonFactory factory, InputStream body, InputLimits limits, Instant now, boolean readHeader) {
    JsonParser parser = null;
    try {
      parser = factory.createParser(body);
      if (parser.nextToken() == null) {
        throw new InvalidInputException(null, "the request body must be a JSON object, and it is empty");
      }
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw new InvalidInputException(null, "the request body must be a JSON object");
      }
      return new PushReader(parser, limits, now, readHeader);
    } catch (RuntimeException e) {
      closeQuietly(parser);
      throw e;
    } catch (IOException e) {
      closeQuietly(parser);
      throw RequestReader.translate(e);
    }
  }

  /**
   * The next entities, all of one type: at most {@code maxItems}, and no more once {@code
   * maxBytes} of the body have been read by this call (one entity may pass it). Empty only when
   * the body is done.
   */
  public List<Item> next(int maxItems, long maxBytes) {
    try {
      List<Item> items = new ArrayList<>();
      long start = offset();
      while (!finished && (items.isEmpty() || items.size() < maxItems && offset() - start < maxBytes)) {
        if (current == null) {
          if (rootField() && !items.isEmpty()) {
            break;
          }
        } else if (in.next() == JsonToken.END_ARRAY) {
          in.pop();
          current = null;
        } else {
          items.add(item());
        }
      }
      return items;
    } catch (IOException e) {
      throw RequestReader.translate(e);
    }
  }

  /** After the body is done: device_id and force. */
  public Header header() {
    if (!finished) {
      throw new IllegalStateException("the push has not been read to its end");
    }
    if (readHeader && deviceId == null) {
      throw new InvalidInputException("device_id", "is required");
    }
    return new Header(deviceId, force);
  }

  /** Reads the next field of the body's object; true when it starts a list of entities. */
  private boolean rootField() throws IOException {
    if (in.next() != JsonToken.FIELD_NAME) {
      finished = true;
      if (parser.nextToken() != null) {
        throw new InvalidInputException(null, "unexpected content after the JSON object");
      }
      return false;
    }
    String name = parser.currentName();
    in.push(name);
    in.next();
    EntityType type = switch (name) {
      case "memories" -> EntityType.MEMORY;
      case "sessions" -> EntityType.SESSION;
      case "edges" -> EntityType.EDGE;
      default -> null;
    };
    if (type != null && !in.isNull()) {
      if (in.token() != JsonToken.START_ARRAY) {
        throw in.invalid("must be a JSON array");
      }
      current = type;
      index = 0;
      return true;
    }
    if (readHeader && name.equals("device_id")) {
      deviceId = in.identifier(limits.idBytes());
    } else if (readHeader && name.equals("force")) {
      force = Boolean.TRUE.equals(in.bool());
    } else {
      in.skipValue();
    }
    in.pop();
    return false;
  }

  private Item item() throws IOException {
    long start = offset();
    in.push(index);
    in.beginItem();
    SyncEntity entity;
    try {
      entity = entities.read(EntitySchemas.of(current));
    } catch (IOException | RuntimeException e) {
      in.endItem();
      throw e;
    }
    InvalidInputException breach = in.endItem();
    in.pop();
    int at = index++;
    if (breach == null) {
      return new Item(current, at, entity, null, offset() - start);
    }
    return new Item(current, at, null,
        new RejectedItem(idAtFault(breach.field()) ? null : entity.id(), current, breach.field(), breach.problem()),
        offset() - start);
  }

  /** Whether the field at fault is the entity's id, or a part of an edge's id. */
  private static boolean idAtFault(String field) {
    return field.endsWith("].id") || field.endsWith("].from_id") || field.endsWith("].to_id")
        || field.endsWith("].relation");
  }

  /**
   * The server increments the pushing device's counter on insert, so it must have room to grow:
   * an entity whose counter is at the maximum is rejected alone.
   */
  public static Item checkOwnCounter(String deviceId, Item item) {
    if (item.isRejected() || item.entity().vectorClock().get(deviceId) != Long.MAX_VALUE) {
      return item;
    }
    return new Item(item.type(), item.index(), null, new RejectedItem(item.entity().id(), item.type(),
        item.type().plural() + "[" + item.index() + "].vector_clock." + deviceId,
        "must be below " + Long.MAX_VALUE + " so that the server can increment it"), item.bytes());
  }

  private long offset() {
    JsonLocation location = parser.currentLocation();
    return Math.max(location.getByteOffset(), location.getCharOffset());
  }

  @Override
  public void close() {
    closeQuietly(parser);
  }

  private static void closeQuietly(JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException ignored) {
        // nothing to do about it
      }
    }
  }
}
