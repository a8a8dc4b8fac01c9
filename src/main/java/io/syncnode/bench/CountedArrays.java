package io.syncnode.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A JSON object whose array fields are replaced by the number of their elements, found by one pass
 * over the bytes that follows only strings and nesting. A pulled page is almost all array; the load
 * generator counts its elements instead of tokenizing every field of every entity, so that its CPU
 * goes to the node it measures, which shares the machine.
 */
final class CountedArrays {
  private CountedArrays() {}

  /** {@code json} with each array value of its top-level object replaced by its element count. */
  static byte[] of(byte[] json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    int depth = 0;
    int copyFrom = 0;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (b == '"') {
        i = stringEnd(json, i);
      } else if (b == '[' && depth == 1) {
        int[] end = new int[1];
        int count = count(json, i, end);
        out.write(json, copyFrom, i - copyFrom);
        out.writeBytes(Integer.toString(count).getBytes(StandardCharsets.US_ASCII));
        i = end[0];
        copyFrom = i + 1;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    out.write(json, copyFrom, Math.max(0, json.length - copyFrom));
    return out.toByteArray();
  }

  /** The elements of the array opening at {@code start}; {@code end[0]} is set to its closing bracket. */
  private static int count(byte[] json, int start, int[] end) {
    int depth = 0;
    int commas = 0;
    boolean anything = false;
    for (int i = start; i < json.length; i++) {
      byte b = json[i];
      if (b == '"') {
        i = stringEnd(json, i);
        anything = true;
      } else if (b == '[' || b == '{') {
        anything |= depth > 0;
        depth++;
      } else if (b == ']' || b == '}') {
        depth--;
        if (depth == 0) {
          end[0] = i;
          return anything ? commas + 1 : 0;
        }
      } else if (b == ',' && depth == 1) {
        commas++;
      } else if (b > ' ') {
        anything = true;
      }
    }
    throw new IllegalArgumentException("an array of the answer is not closed");
  }

  /** The index of the quote that closes the string opening at {@code quote}. */
  private static int stringEnd(byte[] json, int quote) {
    for (int i = quote + 1; i < json.length; i++) {
      if (json[i] == '\\') {
        i++;
      } else if (json[i] == '"') {
        return i;
      }
    }
    throw new IllegalArgumentException("a string of the answer is not closed");
  }
}
