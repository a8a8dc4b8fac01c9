package io.syncnode.bench;

import io.netty.buffer.ByteBuf;
import io.syncnode.protocol.json.JsonStrings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A JSON object whose array fields are replaced by the number of their elements, found by one pass
 * over the bytes that follows only strings and nesting. A pulled page is almost all array; the load
 * generator counts its elements instead of tokenizing every field of every entity, so that its CPU
 * goes to the node it measures, which shares the machine. The bytes are fed as they arrive, chunk
 * by chunk: a page of a megabyte is never held whole (growing a buffer for it, zeroing and copying
 * it, took a fifth of the load generator's CPU in a pull).
 */
final class CountedArrays {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  /** Nesting outside a counted array: 1 is inside the top-level object. */
  private int depth;
  private boolean inString;
  /** The previous byte was a backslash within a string. */
  private boolean escaped;
  /** Within an array value of the top-level object, which is counted, not copied. */
  private boolean counting;
  /** Nesting within the counted array: 1 is its own level. */
  private int arrayDepth;
  private int commas;
  /** The counted array has an element (it is not {@code []}). */
  private boolean anything;

  /** {@code json} with each array value of its top-level object replaced by its element count. */
  static byte[] of(byte[] json) {
    CountedArrays counted = new CountedArrays();
    counted.feed(json, 0, json.length);
    return counted.end();
  }

  /** The next chunk of the answer: read in place when it lies in an array, else copied out first. */
  void feed(Buffer chunk) {
    ByteBuf bytes = ((BufferInternal) chunk).getByteBuf();
    if (bytes.hasArray()) {
      int from = bytes.arrayOffset() + bytes.readerIndex();
      feed(bytes.array(), from, from + bytes.readableBytes());
    } else {
      byte[] copy = chunk.getBytes();
      feed(copy, 0, copy.length);
    }
  }

  /**
   * The next bytes of the answer. Fields are copied to locals for the loop, and strings (most of a
   * page) are skipped by a loop of their own, eight bytes at a time ({@link JsonStrings}).
   */
  void feed(byte[] json, int from, int to) {
    int depth = this.depth;
    boolean counting = this.counting;
    int arrayDepth = this.arrayDepth;
    int commas = this.commas;
    boolean anything = this.anything;
    int copyFrom = from;
    int i = from;
    if (inString) {
      i = skipString(json, i, to) + 1;
    }
    for (; i < to; i++) {
      byte b = json[i];
      if (b == '"') {
        anything |= counting;
        inString = true;
        i = skipString(json, i + 1, to);
      } else if (counting) {
        if (b == '[' || b == '{') {
          anything = true;
          arrayDepth++;
        } else if (b == ']' || b == '}') {
          if (--arrayDepth == 0) {
            out.writeBytes(Integer.toString(anything ? commas + 1 : 0).getBytes(StandardCharsets.US_ASCII));
            counting = false;
            copyFrom = i + 1;
          }
        } else if (b == ',' && arrayDepth == 1) {
          commas++;
        } else if (b > ' ') {
          anything = true;
        }
      } else if (b == '[' && depth == 1) {
        out.write(json, copyFrom, i - copyFrom);
        counting = true;
        arrayDepth = 1;
        commas = 0;
        anything = false;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    if (!counting) {
      out.write(json, copyFrom, to - copyFrom);
    }
    this.depth = depth;
    this.counting = counting;
    this.arrayDepth = arrayDepth;
    this.commas = commas;
    this.anything = anything;
  }

  /**
   * From {@code i}, within a string: the index of its closing quote (the string has ended), or
   * {@code to} when the bytes end first (it goes on in the next chunk).
   */
  private int skipString(byte[] json, int i, int to) {
    if (escaped && i < to) {
      escaped = false;
      i++;
    }
    while ((i = JsonStrings.firstQuoteOrBackslash(json, i, to)) < to) {
      if (json[i] == '"') {
        inString = false;
        return i;
      }
      // a backslash: the byte after it is escaped
      i += 2;
      if (i > to) {
        escaped = true;
        return to;
      }
    }
    return to;
  }

  /** What was fed, counted. */
  byte[] end() {
    if (counting) {
      throw new IllegalArgumentException("an array of the answer is not closed");
    }
    if (inString) {
      throw new IllegalArgumentException("a string of the answer is not closed");
    }
    return out.toByteArray();
  }
}
