package io.syncnode.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Request bodies written straight to bytes, so that generating load costs the benchmark little. */
final class RequestBodies {
  private static final JsonFactory JSON = new JsonFactory();

  private RequestBodies() {}

  /** A push body of memories, each known to its device at {@code counter}. */
  static Push push(String deviceId) {
    return new Push(deviceId);
  }

  static final class Push {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    private final JsonGenerator json;
    private final String deviceId;

    private Push(String deviceId) {
      this.deviceId = deviceId;
      try {
        json = JSON.createGenerator(bytes);
        json.writeStartObject();
        json.writeStringField("device_id", deviceId);
        json.writeArrayFieldStart("memories");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** {@code content} and {@code namespace} are the same for many memories: quoted once, copied here. */
    void memory(String id, SerializableString content, SerializableString namespace, long counter) {
      try {
        json.writeStartObject();
        json.writeStringField("id", id);
        json.writeFieldName("content");
        json.writeString(content);
        json.writeStringField("type", "fact");
        json.writeFieldName("namespace_id");
        json.writeString(namespace);
        json.writeObjectFieldStart("vector_clock");
        json.writeNumberField(deviceId, counter);
        json.writeEndObject();
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Buffer end() {
      try {
        json.writeEndArray();
        json.writeEndObject();
        json.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Buffer.buffer(bytes.toByteArray());
    }
  }

  /** A diff body whose manifest lists the ids (without hashes: the server compares what it can). */
  static Buffer diff(String deviceId, String namespace, List<String> ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.size() * 48 + 128);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("device_id", deviceId);
      json.writeArrayFieldStart("namespace_ids");
      json.writeString(namespace);
      json.writeEndArray();
      json.writeArrayFieldStart("memories");
      for (String id : ids) {
        json.writeStartObject();
        json.writeStringField("id", id);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(bytes.toByteArray());
  }
}
