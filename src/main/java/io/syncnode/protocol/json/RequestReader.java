package io.syncnode.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.syncnode.protocol.Edge;
import io.syncnode.protocol.FeedCursor;
import io.syncnode.protocol.InputLimits;
import io.syncnode.protocol.InvalidInputException;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decodes the request bodies of the sync endpoints from JSON, in one streaming pass, refusing
 * anything the protocol does not allow with an {@link InvalidInputException} that names the field.
 * Unknown fields are ignored; duplicate keys are refused.
 */
public final class RequestReader {
  static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(100)
          .maxNumberLength(400)
          .maxNameLength(65_536)
          .build())
      .build();

  /**
   * How many times the longest string limit a JSON string may be: a longer string refuses the
   * whole request, so that one string costs bounded memory whatever the body's size, while an
   * entity with a string somewhat over its limit is rejected alone.
   */
  static final int STRING_LIMIT_FACTOR = 4;

  /** The protocol's default page size, when a pull names none. */
  static final int DEFAULT_PULL_LIMIT = 1000;

  private final Supplier<InputLimits> currentLimits;
  /** The parser factory of the limits last read, made again when a reload changes them. */
  private volatile Parsing parsing;

  private record Parsing(InputLimits limits, JsonFactory factory) {}

  public RequestReader(InputLimits limits) {
    this(() -> limits);
  }

  /** {@code limits} is read as each request is read, so that limits reloaded on a running node apply at once. */
  public RequestReader(Supplier<InputLimits> limits) {
    this.currentLimits = limits;
  }

  private InputLimits limits() {
    return currentLimits.get();
  }

  private JsonFactory factory(InputLimits limits) {
    Parsing current = parsing;
    if (current == null || current.limits() != limits) {
      long longest = Math.max(limits.contentChars(), Math.max(limits.textChars(), limits.metadataChars()));
      current = new Parsing(limits, FACTORY.rebuild()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(100)
              .maxNumberLength(400)
              .maxNameLength(65_536)
              .maxStringLength((int) Math.min(Integer.MAX_VALUE, STRING_LIMIT_FACTOR * longest))
              .build())
          .build());
      parsing = current;
    }
    return current.factory();
  }

  /** A reader of a push body, a few entities at a time (see {@link PushReader#open}). */
  public PushReader pushReader(InputStream body, Instant now, boolean readHeader) {
    InputLimits limits = limits();
    return PushReader.open(factory(limits), body, limits, now, readHeader);
  }

  @FunctionalInterface
  private interface BodyReader<T> {
    T read(JsonIn in) throws IOException;
  }

  public Requests.Register register(InputStream body) {
    return parse(body, in -> {
      String[] v = new String[4];
      in.fields(name -> {
        switch (name) {
          case "device_id" -> v[0] = in.identifier(limits().idBytes());
          case "device_name" -> v[1] = in.string(limits().textChars());
          case "platform" -> v[2] = in.string(limits().textChars());
          case "client_version" -> v[3] = in.string(limits().textChars());
          default -> in.skipValue();
        }
      });
      return new Requests.Register(
          required(v[0], "device_id"), required(v[1], "device_name"), required(v[2], "platform"),
          required(v[3], "client_version"));
    });
  }

  /**
   * A whole push, read into memory: for bodies known to be small, and for tests. The node reads
   * pushes with {@link PushReader}, which this is built on.
   */
  public Requests.Push push(InputStream body) {
    List<Memory> memories = new ArrayList<>();
    List<Session> sessions = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    List<io.syncnode.protocol.Responses.RejectedItem> rejected = new ArrayList<>();
    List<PushReader.Item> all = new ArrayList<>();
    PushReader.Header header;
    try (PushReader reader = pushReader(body, Timestamps.now(), true)) {
      for (List<PushReader.Item> items = reader.next(Integer.MAX_VALUE, Long.MAX_VALUE); !items.isEmpty();
          items = reader.next(Integer.MAX_VALUE, Long.MAX_VALUE)) {
        all.addAll(items);
      }
      header = reader.header();
    }
    for (PushReader.Item read : all) {
      PushReader.Item item = PushReader.checkOwnCounter(header.deviceId(), read);
      if (item.isRejected()) {
        rejected.add(item.rejected());
      } else if (item.entity() instanceof Memory m) {
        memories.add(m);
      } else if (item.entity() instanceof Session s) {
        sessions.add(s);
      } else {
        edges.add((Edge) item.entity());
      }
    }
    return new Requests.Push(header.deviceId(), memories, sessions, edges, header.force(), rejected);
  }

  public Requests.Pull pull(InputStream body) {
    return parse(body, in -> {
      String[] deviceId = {null};
      Instant[] since = {null};
      List<String>[] namespaces = new List[] {null};
      Long[] limit = {null};
      Long[] offset = {null};
      Long[] cursor = {null};
      long[][] served = {null};
      in.fields(name -> {
        switch (name) {
          case "device_id" -> deviceId[0] = in.identifier(limits().idBytes());
          case "since_timestamp" -> since[0] = in.datetime();
          case "namespace_ids" -> namespaces[0] = namespaceIds(in);
          case "limit" -> limit[0] = in.integer(1, limits().maxPullLimit());
          case "offset" -> offset[0] = in.integer(0, Long.MAX_VALUE);
          case "cursor" -> {
            String text = in.string(FeedCursor.MAX_LENGTH);
            cursor[0] = text == null ? null : FeedCursor.decode(text, "cursor");
            served[0] = text == null ? null : FeedCursor.served(text, "cursor");
          }
          default -> in.skipValue();
        }
      });
      return new Requests.Pull(required(deviceId[0], "device_id"), since[0], namespaces[0],
          limit[0] != null ? limit[0].intValue() : Math.min(DEFAULT_PULL_LIMIT, limits().maxPullLimit()),
          offset[0] != null ? offset[0] : 0L, cursor[0], served[0]);
    });
  }

  public Requests.Status status(InputStream body) {
    return parse(body, in -> {
      String[] deviceId = {null};
      in.fields(name -> {
        if (name.equals("device_id")) {
          deviceId[0] = in.identifier(limits().idBytes());
        } else {
          in.skipValue();
        }
      });
      return new Requests.Status(required(deviceId[0], "device_id"));
    });
  }

  public Requests.Diff diff(InputStream body) {
    return parse(body, in -> {
      String[] deviceId = {null};
      List<String>[] namespaces = new List[] {null};
      List<Requests.ManifestEntry> memories = new ArrayList<>();
      List<Requests.ManifestEntry> sessions = new ArrayList<>();
      List<Requests.ManifestEntry> edges = new ArrayList<>();
      in.fields(name -> {
        switch (name) {
          case "device_id" -> deviceId[0] = in.identifier(limits().idBytes());
          case "memories" -> in.elements(limits().manifestEntries(), i -> memories.add(manifestEntry(in, limits().idBytes())));
          case "sessions" -> in.elements(limits().manifestEntries(), i -> sessions.add(manifestEntry(in, limits().idBytes())));
          // an edge id joins three identifiers with ':'
          case "edges" -> in.elements(limits().manifestEntries(), i -> edges.add(manifestEntry(in, 3 * limits().idBytes() + 2)));
          case "namespace_ids" -> namespaces[0] = namespaceIds(in);
          default -> in.skipValue();
        }
      });
      return new Requests.Diff(required(deviceId[0], "device_id"), memories, sessions, edges, namespaces[0]);
    });
  }

  public Requests.Merkle merkle(InputStream body) {
    return parse(body, in -> {
      String[] deviceId = {null};
      List<String>[] namespaces = new List[] {null};
      int[][] buckets = {null};
      in.fields(name -> {
        switch (name) {
          case "device_id" -> deviceId[0] = in.identifier(limits().idBytes());
          case "namespace_ids" -> namespaces[0] = namespaceIds(in);
          case "buckets" -> {
            if (!in.isNull()) {
              java.util.TreeSet<Integer> wanted = new java.util.TreeSet<>();
              in.elements(256, i -> {
                Long bucket = in.integer(0, 255);
                if (bucket == null) {
                  throw in.invalid("must be an integer from 0 to 255");
                }
                wanted.add(bucket.intValue());
              });
              buckets[0] = wanted.stream().mapToInt(Integer::intValue).toArray();
            }
          }
          default -> in.skipValue();
        }
      });
      return new Requests.Merkle(required(deviceId[0], "device_id"), namespaces[0], buckets[0]);
    });
  }

  private Requests.ManifestEntry manifestEntry(JsonIn in, int idBytes) throws IOException {
    String[] id = {null};
    String[] hash = {null};
    Instant[] times = {null, null};
    in.fields(name -> {
      switch (name) {
        case "id" -> id[0] = in.identifier(idBytes);
        case "content_hash" -> hash[0] = in.string(limits().idBytes());
        case "updated_at" -> times[0] = in.datetime();
        case "deleted_at" -> times[1] = in.datetime();
        default -> in.skipValue();
      }
    });
    if (id[0] == null) {
      in.push("id");
      throw in.invalid("is required");
    }
    return new Requests.ManifestEntry(id[0], hash[0], times[0], times[1]);
  }

  /** namespace_ids: null means every namespace; an empty list is taken the same way. */
  private List<String> namespaceIds(JsonIn in) throws IOException {
    if (in.isNull()) {
      return null;
    }
    List<String> ids = new ArrayList<>();
    in.elements(limits().clockEntries(), i -> {
      String id = in.identifier(limits().idBytes());
      if (id == null) {
        throw in.invalid("must be a string");
      }
      ids.add(id);
    });
    return ids.isEmpty() ? null : ids;
  }

  private static <T> T required(T value, String field) {
    if (value == null) {
      throw new InvalidInputException(field, "is required");
    }
    return value;
  }

  private <T> T parse(InputStream body, BodyReader<T> reader) {
    try (JsonParser parser = factory(limits()).createParser(body)) {
      JsonIn in = new JsonIn(parser);
      if (parser.nextToken() == null) {
        throw new InvalidInputException(null, "the request body must be a JSON object, and it is empty");
      }
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw new InvalidInputException(null, "the request body must be a JSON object");
      }
      T value = reader.read(in);
      if (parser.nextToken() != null) {
        throw new InvalidInputException(null, "unexpected content after the JSON object");
      }
      return value;
    } catch (IOException e) {
      throw translate(e);
    }
  }

  /** What a failed read of a body tells the client. */
  static InvalidInputException translate(IOException e) {
    if (e instanceof StreamConstraintsException) {
      return new InvalidInputException(null, "the JSON exceeds a parser limit: " + firstLine(((JsonProcessingException) e).getOriginalMessage()));
    }
    if (e instanceof JsonProcessingException json) {
      return new InvalidInputException(null, "malformed JSON: " + firstLine(json.getOriginalMessage()));
    }
    return new InvalidInputException(null, "the request body could not be read: " + firstLine(e.getMessage()));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
