package io.syncnode.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the benchmark counts of an answer: its arrays are counted by {@link CountedArrays}, the rest
 * read with a streaming parser, so that the load generator spends its time sending, not building
 * trees of pulled pages.
 */
record ResponseSummary(long accepted, long rejected, int conflicts, int memories, boolean hasMore, long nextOffset,
    String cursor, String serverTimestamp) {
  private static final JsonFactory JSON = new JsonFactory();

  static ResponseSummary of(Buffer body) {
    return ofCounted(CountedArrays.of(body.getBytes()));
  }

  /** The summary of an answer whose arrays {@link CountedArrays} counted. */
  static ResponseSummary ofCounted(byte[] counted) {
    long accepted = 0;
    long rejected = 0;
    int conflicts = 0;
    int memories = 0;
    boolean hasMore = false;
    long nextOffset = 0;
    String cursor = null;
    String serverTimestamp = null;
    try (JsonParser parser = JSON.createParser(counted)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("the answer is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "accepted" -> accepted = parser.getLongValue();
          case "rejected" -> rejected = parser.getLongValue();
          case "conflicts" -> conflicts = countElements(parser, value);
          case "memories" -> memories = countElements(parser, value);
          case "has_more" -> hasMore = value == JsonToken.VALUE_TRUE;
          case "next_offset" -> nextOffset = value == JsonToken.VALUE_NULL ? 0 : parser.getLongValue();
          case "cursor" -> cursor = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "server_timestamp" -> serverTimestamp = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ResponseSummary(accepted, rejected, conflicts, memories, hasMore, nextOffset, cursor, serverTimestamp);
  }

  /** An array's count, as {@link CountedArrays} left it; anything else counts none. */
  private static int countElements(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT) {
      return parser.getIntValue();
    }
    parser.skipChildren();
    return 0;
  }
}
