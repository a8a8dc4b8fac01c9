package io.syncnode.protocol;

/**
 * The opaque pull cursor: a position in the server's order of changes, and the transactions above
 * it whose changes the pull that issued it has already served. A pull with a cursor returns the
 * changes after the position that are not of those transactions, and every response carries the
 * cursor to send next. Clients must treat it as an opaque string.
 */
public final class FeedCursor {
  private static final String PREFIX = "sn1-";
  /** Beyond this many served transactions a cursor keeps none: their changes may come again. */
  public static final int MAX_SERVED = 256;
  /** The longest cursor this server issues (each transaction is written as its distance from the one before). */
  public static final int MAX_LENGTH = PREFIX.length() + (MAX_SERVED + 1) * 14;

  private FeedCursor() {}

  public static String encode(long position) {
    return PREFIX + Long.toString(position, 36);
  }

  /**
   * A cursor at {@code position} that also says the changes of {@code served} transactions (in
   * ascending order) were sent; null: none.
   */
  public static String encode(long position, long[] served) {
    StringBuilder out = new StringBuilder(encode(position));
    if (served != null) {
      long previous = 0;
      for (long xid : served) {
        out.append('.').append(Long.toString(xid - previous, 36));
        previous = xid;
      }
    }
    return out.toString();
  }

  /** The position a cursor stands for; refuses strings this server did not issue. */
  public static long decode(String cursor, String field) {
    return parts(cursor, field)[0];
  }

  /** The transactions a cursor says were served above its position, or null if none. */
  public static long[] served(String cursor, String field) {
    long[] parts = parts(cursor, field);
    if (parts.length == 1) {
      return null;
    }
    long[] served = new long[parts.length - 1];
    long previous = 0;
    for (int i = 1; i < parts.length; i++) {
      served[i - 1] = previous + parts[i];
      previous = served[i - 1];
    }
    return served;
  }

  private static long[] parts(String cursor, String field) {
    if (cursor.startsWith(PREFIX) && cursor.length() <= MAX_LENGTH) {
      String[] texts = cursor.substring(PREFIX.length()).split("\\.", -1);
      if (texts.length <= MAX_SERVED + 1) {
        long[] parts = new long[texts.length];
        try {
          for (int i = 0; i < texts.length; i++) {
            if (texts[i].isEmpty() || texts[i].length() > 13) {
              throw new NumberFormatException(texts[i]);
            }
            parts[i] = Long.parseLong(texts[i], 36);
            if (parts[i] < 0) {
              throw new NumberFormatException(texts[i]);
            }
          }
          return parts;
        } catch (NumberFormatException e) {
          // refused below
        }
      }
    }
    throw new InvalidInputException(field, "is not a cursor this server issued");
  }
}
