package io.syncnode.protocol.json;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * JSON strings as UTF-8 bytes, looked at eight bytes at a time: a page of pulled memories is
 * mostly string contents with nothing to escape, so finding that out is most of the work of
 * writing them (a byte-by-byte table lookup took a tenth of a reading node's CPU) and of reading
 * past them. The escapes written are Jackson's, byte for byte: {@code \" \\ \b \t \n \f \r},
 * other control characters as {@code \\u00XX}, everything else (non-ASCII bytes included) as it is.
 */
public final class JsonStrings {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';
  private static final long SPACES = ONES * ' ';
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private JsonStrings() {}

  /** The index of the first byte in {@code [from, to)} that a JSON string must escape, or {@code to}. */
  public static int firstToEscape(byte[] utf8, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(utf8, i);
      // bytes below 0x20 (an ASCII byte's high bit is clear, hence ~word), a quote, a backslash
      long found = ((word - SPACES) & ~word & HIGHS) | zeroByte(word ^ QUOTES) | zeroByte(word ^ BACKSLASHES);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (mustEscape(utf8[i])) {
        return i;
      }
    }
    return to;
  }

  /** The index of the first quote or backslash in {@code [from, to)}, or {@code to}: where a string's reader must look. */
  public static int firstQuoteOrBackslash(byte[] utf8, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(utf8, i);
      long found = zeroByte(word ^ QUOTES) | zeroByte(word ^ BACKSLASHES);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (utf8[i] == '"' || utf8[i] == '\\') {
        return i;
      }
    }
    return to;
  }

  /** Writes {@code utf8} (valid UTF-8) as a JSON string: quoted, escaped where it must be. */
  public static void writeQuoted(byte[] utf8, OutputStream out) throws IOException {
    out.write('"');
    int from = 0;
    int at;
    while ((at = firstToEscape(utf8, from, utf8.length)) < utf8.length) {
      out.write(utf8, from, at - from);
      writeEscape(utf8[at], out);
      from = at + 1;
    }
    out.write(utf8, from, utf8.length - from);
    out.write('"');
  }

  /**
   * A byte with its high bit set where the word's byte is zero, and possibly in higher bytes after
   * such a byte (a borrow): the lowest set byte is always a real one.
   */
  private static long zeroByte(long word) {
    return (word - ONES) & ~word & HIGHS;
  }

  private static boolean mustEscape(byte b) {
    return (b >= 0 && b < ' ') || b == '"' || b == '\\';
  }

  private static void writeEscape(byte b, OutputStream out) throws IOException {
    out.write('\\');
    switch (b) {
      case '"', '\\' -> out.write(b);
      case '\b' -> out.write('b');
      case '\t' -> out.write('t');
      case '\n' -> out.write('n');
      case '\f' -> out.write('f');
      case '\r' -> out.write('r');
      default -> {
        out.write('u');
        out.write('0');
        out.write('0');
        out.write(HEX[b >> 4]);
        out.write(HEX[b & 0xF]);
      }
    }
  }
}
