package io.syncnode.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Strings written byte for byte as Jackson writes them, and the scans that find what ends or escapes them. */
class JsonStringsTest {
  /** Jackson, writing characters beyond the BMP as their UTF-8 bytes (by default, as two escaped surrogates). */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  @Test
  void everyAsciiByteIsWrittenAsJacksonWritesIt() throws IOException {
    for (int b = 0; b < 128; b++) {
      // the byte alone, and at each place of an eight-byte word among plain letters
      for (int at = 0; at < 17; at++) {
        String text = "a".repeat(at) + (char) b + "b".repeat(16 - at);
        assertThat(quoted(text)).as("byte %d at %d", b, at).isEqualTo(jackson(text));
      }
    }
  }

  @Test
  void nonAsciiTextAndMixedEscapesAreWrittenAsJacksonWritesThem() throws IOException {
    String[] texts = {"", "ünï ✓ 😀", "line one\n\"quoted\" \\ tab\t </script> \u0000\u001f\u007f",
        "\"\"\"\"\"\"\"\"\"", "\\\\\\\\\\\\\\\\", "é\"é\\é\né", "x".repeat(1_000) + "\u0002"};
    for (String text : texts) {
      assertThat(quoted(text)).as(text).isEqualTo(jackson(text));
    }
    Random random = new Random(7);
    String alphabet = "abc \"\\\n\t\u0001\u001fé✓😀/";
    for (int n = 0; n < 2_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
      }
      assertThat(quoted(text.toString())).as(text.toString()).isEqualTo(jackson(text.toString()));
    }
  }

  @Test
  void theScansFindTheFirstByteTheyLookFor() {
    byte[] bytes = "abcdefgh\u00e9ijklmnop\"qrs\\tuv\u0001w".getBytes(StandardCharsets.UTF_8);
    int quote = indexOf(bytes, '"');
    int backslash = indexOf(bytes, '\\');
    int control = indexOf(bytes, 1);
    assertThat(JsonStrings.firstToEscape(bytes, 0, bytes.length)).isEqualTo(quote);
    assertThat(JsonStrings.firstToEscape(bytes, quote + 1, bytes.length)).isEqualTo(backslash);
    assertThat(JsonStrings.firstToEscape(bytes, backslash + 1, bytes.length)).isEqualTo(control);
    assertThat(JsonStrings.firstToEscape(bytes, control + 1, bytes.length)).isEqualTo(bytes.length);
    assertThat(JsonStrings.firstToEscape(bytes, 0, quote)).as("within a range").isEqualTo(quote);
    assertThat(JsonStrings.firstQuoteOrBackslash(bytes, 0, bytes.length)).isEqualTo(quote);
    assertThat(JsonStrings.firstQuoteOrBackslash(bytes, quote + 1, bytes.length)).isEqualTo(backslash);
    assertThat(JsonStrings.firstQuoteOrBackslash(bytes, backslash + 1, bytes.length)).as("a control byte is not looked for")
        .isEqualTo(bytes.length);
    // bytes of multi-byte characters (high bit set) are never taken for a control byte
    byte[] high = "éééééééééé😀😀".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonStrings.firstToEscape(high, 0, high.length)).isEqualTo(high.length);
  }

  private static int indexOf(byte[] bytes, int b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new AssertionError("no byte " + b);
  }

  private static String quoted(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonStrings.writeQuoted(text.getBytes(StandardCharsets.UTF_8), out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String jackson(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeString(text);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
