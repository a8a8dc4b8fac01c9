package io.syncnode.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.InputLimits;
import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.VectorClock;
import io.syncnode.protocol.schema.EntitySchema;
import io.syncnode.protocol.schema.Field;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** Reads memories, sessions and edges as their {@link EntitySchema} declares them, applying its defaults and the input limits. */
final class EntityReader {
  private final JsonIn in;
  private final InputLimits limits;
  private final Instant now;
  private final int[][] fieldLimits = new int[EntityType.values().length][];

  EntityReader(JsonIn in, InputLimits limits, Instant now) {
    this.in = in;
    this.limits = limits;
    this.now = now;
  }

  /**
   * An entity of the schema's type: its fields as the schema declares them, then the defaults of
   * those left out (or sent null), in field order; fields the type does not have are skipped.
   */
  <E extends SyncEntity> E read(EntitySchema<E> schema) throws IOException {
    List<Field<? super E>> fields = schema.fields();
    int[] limitOf = limits(schema);
    Object[] values = new Object[fields.size()];
    in.fields(name -> {
      int index = schema.indexOf(name);
      if (index < 0) {
        in.skipValue();
      } else {
        values[index] = value(fields.get(index), limitOf[index]);
      }
    });
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        Field<? super E> field = fields.get(i);
        if (field.isRequired()) {
          in.push(field.name());
          throw in.invalid("is required");
        }
        values[i] = field.fallback(now);
      }
    }
    return schema.entity(values);
  }

  /** The limit of each field of the schema under this reader's limits, worked out once per type. */
  private int[] limits(EntitySchema<?> schema) {
    int type = schema.type().ordinal();
    if (fieldLimits[type] == null) {
      fieldLimits[type] = schema.fields().stream().mapToInt(field -> field.limit(limits)).toArray();
    }
    return fieldLimits[type];
  }

  private Object value(Field<?> field, int limit) throws IOException {
    return switch (field.kind()) {
      case TEXT -> field.identifier() ? in.identifier(limit) : in.string(limit);
      case TEXTS -> in.stringList(limits.clockEntries(), limit);
      case CLOCK -> clock();
      case TIME -> in.datetime();
      case JSON -> metadata();
      case FLOATS -> embedding();
      case BOOL -> in.bool();
      case NUMBER -> in.number();
    };
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
