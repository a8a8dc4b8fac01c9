package io.syncnode.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.syncnode.protocol.InvalidInputException;
import io.syncnode.protocol.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON parser positioned on a value, with typed reads that check the value and name its path
 * (such as {@code memories[3].tags[0]}) when it is not what the protocol allows.
 */
final class JsonIn {
  /** Receives each field of an object; the parser is on the field's value. */
  interface FieldHandler {
    void field(String name) throws IOException;
  }

  /** Receives each element of an array; the parser is on the element. */
  interface ElementHandler {
    void element(int index) throws IOException;
  }

  final JsonParser parser;
  private final String[] names = new String[64];
  private final int[] indexes = new int[64];
  private int depth;
  /** While an entity of a push is read: its first broken per-item limit, which does not stop the reading. */
  private boolean collectingBreaches;
  private InvalidInputException breach;

  JsonIn(JsonParser parser) {
    this.parser = parser;
  }

  /** Moves to the next token; the end of input where a value should be is an error. */
  JsonToken next() throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new InvalidInputException(path(), "unexpected end of JSON input");
    }
    return token;
  }

  JsonToken token() {
    return parser.currentToken();
  }

  boolean isNull() {
    return parser.currentToken() == JsonToken.VALUE_NULL;
  }

  void fields(FieldHandler handler) throws IOException {
    if (token() != JsonToken.START_OBJECT) {
      throw invalid("must be a JSON object");
    }
    while (next() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      push(name);
      next();
      handler.field(name);
      pop();
    }
  }

  /**
   * Iterates an array; null is taken as an empty array. Past {@code maxElements} the array breaks a
   * limit (see {@link #overLimit}); when that does not stop the reading, the handler still gets
   * every element, to check it, and must not keep those beyond the limit.
   */
  void elements(int maxElements, ElementHandler handler) throws IOException {
    if (isNull()) {
      return;
    }
    if (token() != JsonToken.START_ARRAY) {
      throw invalid("must be a JSON array");
    }
    int index = 0;
    while (next() != JsonToken.END_ARRAY) {
      if (index == maxElements) {
        overLimit("must have at most " + maxElements + " elements");
      }
      push(index);
      handler.element(index);
      pop();
      index++;
    }
  }

  void skipValue() throws IOException {
    parser.skipChildren();
  }

  String string(int maxChars) throws IOException {
    if (isNull()) {
      return null;
    }
    if (token() != JsonToken.VALUE_STRING) {
      throw invalid("must be a string");
    }
    String value = parser.getText();
    if (value.length() > maxChars) {
      overLimit("must be at most " + maxChars + " characters");
    }
    checkText(value);
    return value;
  }

  /** A string stored as a key: not empty, at most {@code maxBytes} bytes of UTF-8. */
  String identifier(int maxBytes) throws IOException {
    String value = string(maxBytes);
    if (value == null) {
      return null;
    }
    if (value.isEmpty()) {
      throw invalid("must not be empty");
    }
    if (value.length() <= maxBytes && value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      overLimit("must be at most " + maxBytes + " bytes of UTF-8");
    }
    return value;
  }

  String requiredIdentifier(int maxBytes) throws IOException {
    String value = identifier(maxBytes);
    if (value == null) {
      throw invalid("is required");
    }
    return value;
  }

  String requiredString(int maxChars) throws IOException {
    String value = string(maxChars);
    if (value == null) {
      throw invalid("is required");
    }
    return value;
  }

  Boolean bool() throws IOException {
    if (isNull()) {
      return null;
    }
    if (token() != JsonToken.VALUE_TRUE && token() != JsonToken.VALUE_FALSE) {
      throw invalid("must be true or false");
    }
    return parser.getBooleanValue();
  }

  /** A whole number within {@code min..max}; floats like 3.5 or 3.0 are refused. */
  Long integer(long min, long max) throws IOException {
    if (isNull()) {
      return null;
    }
    if (token() != JsonToken.VALUE_NUMBER_INT) {
      throw invalid("must be an integer");
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw invalid("must be an integer from " + min + " to " + max);
    }
    long value = parser.getLongValue();
    if (value < min || value > max) {
      throw invalid("must be an integer from " + min + " to " + max);
    }
    return value;
  }

  /** A finite number that fits a double. */
  Double number() throws IOException {
    if (isNull()) {
      return null;
    }
    if (token() != JsonToken.VALUE_NUMBER_INT && token() != JsonToken.VALUE_NUMBER_FLOAT) {
      throw invalid("must be a number");
    }
    double value = parser.getDoubleValue();
    if (!Double.isFinite(value)) {
      throw invalid("must be a finite number");
    }
    return value;
  }

  Instant datetime() throws IOException {
    if (isNull()) {
      return null;
    }
    if (token() != JsonToken.VALUE_STRING) {
      throw invalid("must be an ISO-8601 datetime string");
    }
    return Timestamps.parse(parser.getText(), path());
  }

  /** A list of strings; null is taken as an empty list. */
  List<String> stringList(int maxElements, int maxChars) throws IOException {
    List<String> values = new ArrayList<>();
    elements(maxElements, i -> {
      String value = string(maxChars);
      if (value == null) {
        throw invalid("must be a string");
      }
      if (i < maxElements) {
        values.add(value);
      }
    });
    return values;
  }

  /** Refuses text PostgreSQL cannot store: NUL characters and unpaired UTF-16 surrogates. */
  void checkText(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\u0000') {
        throw invalid("must not contain NUL (\\u0000) characters");
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          throw invalid("must not contain unpaired surrogate characters");
        }
      }
    }
  }

  /**
   * A value breaks a size limit. Within an entity of a push the entity is then rejected alone
   * (see {@link #beginItem}) and the reading goes on, so that the rest of the body is still
   * checked; anywhere else the whole request is refused.
   */
  void overLimit(String problem) {
    if (!collectingBreaches) {
      throw invalid(problem);
    }
    if (breach == null) {
      breach = invalid(problem);
    }
  }

  /** Starts reading an entity whose broken limits reject it alone. */
  void beginItem() {
    collectingBreaches = true;
    breach = null;
  }

  /** Ends the entity begun last: its first broken limit, or null. */
  InvalidInputException endItem() {
    collectingBreaches = false;
    InvalidInputException first = breach;
    breach = null;
    return first;
  }

  /** Whether the entity being read has broken a limit already (its values need not be kept). */
  boolean breached() {
    return breach != null;
  }

  InvalidInputException invalid(String problem) {
    return new InvalidInputException(path(), problem);
  }

  void push(String name) {
    checkDepth();
    names[depth] = name;
    indexes[depth] = -1;
    depth++;
  }

  void push(int index) {
    checkDepth();
    names[depth] = null;
    indexes[depth] = index;
    depth++;
  }

  void pop() {
    depth--;
  }

  int depth() {
    return depth;
  }

  private void checkDepth() {
    if (depth == names.length) {
      throw new InvalidInputException(path(), "is nested too deeply");
    }
  }

  String path() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      if (names[i] != null) {
        if (out.length() > 0) out.append('.');
        out.append(names[i]);
      } else {
        out.append('[').append(indexes[i]).append(']');
      }
    }
    return out.toString();
  }

  static UncheckedIOException unchecked(IOException e) {
    return new UncheckedIOException(e);
  }
}
