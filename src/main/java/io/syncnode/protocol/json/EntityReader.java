package io.syncnode.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.syncnode.protocol.Edge;
import io.syncnode.protocol.InputLimits;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.VectorClock;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** Reads memories, sessions and edges, applying the protocol's defaults and the input limits. */
final class EntityReader {
  private final JsonIn in;
  private final InputLimits limits;
  private final Instant now;

  EntityReader(JsonIn in, InputLimits limits, Instant now) {
    this.in = in;
    this.limits = limits;
    this.now = now;
  }

  /** The fields of SyncableEntity, gathered while an entity's object is read. */
  private class Common {
    String id;
    VectorClock clock = VectorClock.EMPTY;
    String contentHash;
    Instant deletedAt;
    Instant createdAt;
    Instant updatedAt;
    String lastModifiedBy;
    RawJson metadata = RawJson.EMPTY_OBJECT;

    /** Reads the field if it is common to all entity types; false if it is not. */
    boolean readCommon(String name) throws IOException {
      switch (name) {
        case "id" -> id = in.identifier(limits.idBytes());
        case "vector_clock" -> clock = clock();
        case "content_hash" -> contentHash = in.string(limits.idBytes());
        case "deleted_at" -> deletedAt = in.datetime();
        case "created_at" -> createdAt = in.datetime();
        case "updated_at" -> updatedAt = in.datetime();
        case "last_modified_by" -> lastModifiedBy = in.string(limits.idBytes());
        case "metadata" -> metadata = metadata();
        default -> {
          return false;
        }
      }
      return true;
    }

    Instant created() {
      return createdAt != null ? createdAt : now;
    }

    Instant updated() {
      return updatedAt != null ? updatedAt : now;
    }

    <T> T required(T value, String name) {
      if (value == null) {
        in.push(name);
        throw in.invalid("is required");
      }
      return value;
    }
  }

  private final class MemoryFields extends Common {
    String content;
    String type;
    List<String> tags = List.of();
    String summary;
    String namespaceId;
    String repoUrl;
    String repoName;
    String relativePath;
    String sourceFile;
    String sourceRepo;
    String sourceTool;
    String project;
    String sessionId;
    float[] embedding;
    Boolean encrypted;
    String visibility;
  }

  Memory memory() throws IOException {
    MemoryFields f = new MemoryFields();
    in.fields(name -> {
      if (f.readCommon(name)) {
        return;
      }
      switch (name) {
        case "content" -> f.content = in.string(limits.contentChars());
        case "type" -> f.type = in.string(limits.idBytes());
        case "tags" -> f.tags = in.stringList(limits.clockEntries(), limits.textChars());
        case "summary" -> f.summary = in.string(limits.textChars());
        case "namespace_id" -> f.namespaceId = in.identifier(limits.idBytes());
        case "repo_url" -> f.repoUrl = in.string(limits.textChars());
        case "repo_name" -> f.repoName = in.string(limits.textChars());
        case "relative_path" -> f.relativePath = in.string(limits.textChars());
        case "source_file" -> f.sourceFile = in.string(limits.textChars());
        case "source_repo" -> f.sourceRepo = in.string(limits.textChars());
        case "source_tool" -> f.sourceTool = in.string(limits.textChars());
        case "project" -> f.project = in.string(limits.textChars());
        case "session_id" -> f.sessionId = in.string(limits.idBytes());
        case "embedding" -> f.embedding = embedding();
        case "encrypted" -> f.encrypted = in.bool();
        case "visibility" -> f.visibility = in.string(limits.idBytes());
        default -> in.skipValue();
      }
    });
    return new Memory(
        f.required(f.id, "id"), f.clock, f.contentHash, f.deletedAt, f.created(), f.updated(), f.lastModifiedBy,
        f.required(f.content, "content"), orDefault(f.type, "fact"), f.tags, f.summary,
        orDefault(f.namespaceId, "global"), f.repoUrl, f.repoName, f.relativePath, f.sourceFile, f.sourceRepo,
        f.sourceTool, f.project, f.sessionId, f.metadata, f.embedding, f.encrypted, f.visibility);
  }

  private final class SessionFields extends Common {
    String label;
    String namespaceId;
    String tool;
    String repoUrl;
    String repoName;
    String repoPath;
    String branch;
    Instant startedAt;
    Instant endedAt;
    String summary;
  }

  Session session() throws IOException {
    SessionFields f = new SessionFields();
    in.fields(name -> {
      if (f.readCommon(name)) {
        return;
      }
      switch (name) {
        case "label" -> f.label = in.string(limits.textChars());
        case "namespace_id" -> f.namespaceId = in.identifier(limits.idBytes());
        case "tool" -> f.tool = in.string(limits.textChars());
        case "repo_url" -> f.repoUrl = in.string(limits.textChars());
        case "repo_name" -> f.repoName = in.string(limits.textChars());
        case "repo_path" -> f.repoPath = in.string(limits.textChars());
        case "branch" -> f.branch = in.string(limits.textChars());
        case "started_at" -> f.startedAt = in.datetime();
        case "ended_at" -> f.endedAt = in.datetime();
        case "summary" -> f.summary = in.string(limits.contentChars());
        default -> in.skipValue();
      }
    });
    return new Session(
        f.required(f.id, "id"), f.clock, f.contentHash, f.deletedAt, f.created(), f.updated(), f.lastModifiedBy,
        f.label, orDefault(f.namespaceId, "global"), orDefault(f.tool, "contextfs"), f.repoUrl, f.repoName,
        f.repoPath, f.branch, f.startedAt != null ? f.startedAt : now, f.endedAt, f.summary, f.metadata);
  }

  private final class EdgeFields extends Common {
    String fromId;
    String toId;
    String relation;
    Double weight;
    String createdBy;
  }

  /** An edge; its {@code id} field, if sent, is ignored: the id is derived from from_id, to_id and relation. */
  Edge edge() throws IOException {
    EdgeFields f = new EdgeFields();
    in.fields(name -> {
      if (f.readCommon(name)) {
        return;
      }
      switch (name) {
        case "from_id" -> f.fromId = in.identifier(limits.idBytes());
        case "to_id" -> f.toId = in.identifier(limits.idBytes());
        case "relation" -> f.relation = in.identifier(limits.idBytes());
        case "weight" -> f.weight = in.number();
        case "created_by" -> f.createdBy = in.string(limits.idBytes());
        default -> in.skipValue();
      }
    });
    return new Edge(
        f.clock, f.contentHash, f.deletedAt, f.created(), f.updated(), f.lastModifiedBy,
        f.required(f.fromId, "from_id"), f.required(f.toId, "to_id"), f.required(f.relation, "relation"),
        f.weight != null ? f.weight : 1.0, f.createdBy, f.metadata);
  }

  private static String orDefault(String value, String fallback) {
    return value != null ? value : fallback;
  }

  VectorClock clock() throws IOException {
    if (in.isNull()) {
      return VectorClock.EMPTY;
    }
    TreeMap<String, Long> counters = new TreeMap<>();
    int[] entries = {0};
    in.fields(device -> {
      boolean keep = true;
      if (entries[0]++ == limits.clockEntries()) {
        in.overLimit("a vector clock may have at most " + limits.clockEntries() + " entries");
      }
      keep &= entries[0] <= limits.clockEntries();
      if (device.isEmpty()) {
        throw in.invalid("device ids in a vector clock must not be empty");
      }
      if (device.length() > limits.idBytes()
          || device.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > limits.idBytes()) {
        in.overLimit("device ids in a vector clock must be at most " + limits.idBytes() + " bytes of UTF-8");
        keep = false;
      }
      in.checkText(device);
      Long counter = in.integer(0, Long.MAX_VALUE);
      if (counter == null) {
        throw in.invalid("must be an integer from 0 to " + Long.MAX_VALUE);
      }
      if (keep) {
        counters.put(device, counter);
      }
    });
    return VectorClock.of(counters);
  }

  float[] embedding() throws IOException {
    if (in.isNull()) {
      return null;
    }
    float[][] values = {new float[64]};
    int[] size = {0};
    in.elements(limits.embeddingLength(), i -> {
      Double value = in.number();
      if (value == null) {
        throw in.invalid("must be a number");
      }
      if (Float.isInfinite(value.floatValue())) {
        throw in.invalid("must fit a 32-bit float");
      }
      if (i >= limits.embeddingLength()) {
        return;
      }
      if (size[0] == values[0].length) {
        values[0] = Arrays.copyOf(values[0], size[0] * 2);
      }
      values[0][size[0]++] = value.floatValue();
    });
    return Arrays.copyOf(values[0], size[0]);
  }

  /** A metadata object, copied to text while its depth, size and contents are checked; null is {}. */
  RawJson metadata() throws IOException {
    if (in.isNull()) {
      return RawJson.EMPTY_OBJECT;
    }
    if (in.token() != JsonToken.START_OBJECT) {
      throw in.invalid("must be a JSON object");
    }
    StringWriter text = new StringWriter();
    boolean copied;
    try (JsonGenerator out = RequestReader.FACTORY.createGenerator(text)) {
      copied = copyValue(out);
    }
    if (copied && text.getBuffer().length() > limits.metadataChars()) {
      in.overLimit("must be at most " + limits.metadataChars() + " characters of JSON");
      copied = false;
    }
    return copied ? new RawJson(text.toString()) : RawJson.EMPTY_OBJECT;
  }

  /**
   * Copies the value the parser is on, checking all of it; once it breaks a limit, the rest is
   * only checked, not copied (false). The characters of names, strings and numbers are counted on
   * the way, a lower bound of the JSON's length, so that an oversized object is not copied whole.
   */
  private boolean copyValue(JsonGenerator out) throws IOException {
    int depth = 0;
    long chars = 0;
    boolean copying = true;
    JsonToken token = in.token();
    while (true) {
      if (copying && chars > limits.metadataChars()) {
        in.overLimit("must be at most " + limits.metadataChars() + " characters of JSON");
        copying = false;
      }
      switch (token) {
        case START_OBJECT, START_ARRAY -> {
          if (++depth > limits.metadataDepth() && copying) {
            in.overLimit("must be nested at most " + limits.metadataDepth() + " levels deep");
            copying = false;
          }
          if (!copying) {
            // nothing written
          } else if (token == JsonToken.START_OBJECT) {
            out.writeStartObject();
          } else {
            out.writeStartArray();
          }
        }
        case END_OBJECT -> {
          depth--;
          if (copying) {
            out.writeEndObject();
          }
        }
        case END_ARRAY -> {
          depth--;
          if (copying) {
            out.writeEndArray();
          }
        }
        case FIELD_NAME -> {
          String name = in.parser.currentName();
          in.checkText(name);
          chars += name.length();
          if (copying) {
            out.writeFieldName(name);
          }
        }
        case VALUE_STRING -> {
          String value = in.parser.getText();
          in.checkText(value);
          chars += value.length();
          if (copying) {
            out.writeString(value);
          }
        }
        case VALUE_NUMBER_INT -> {
          chars += in.parser.getTextLength();
          if (copying) {
            out.writeNumber(in.parser.getText());
          }
        }
        case VALUE_NUMBER_FLOAT -> {
          if (!Double.isFinite(in.parser.getDoubleValue())) {
            throw in.invalid("numbers must fit a double");
          }
          chars += in.parser.getTextLength();
          if (copying) {
            out.writeNumber(in.parser.getText());
          }
        }
        case VALUE_TRUE -> {
          if (copying) {
            out.writeBoolean(true);
          }
        }
        case VALUE_FALSE -> {
          if (copying) {
            out.writeBoolean(false);
          }
        }
        case VALUE_NULL -> {
          if (copying) {
            out.writeNull();
          }
        }
        default -> throw in.invalid("must be plain JSON");
      }
      if (depth == 0) {
        return copying;
      }
      token = in.next();
    }
  }
}
