package io.syncnode.protocol;

/**
 * The opaque pull cursor: a position in the server's order of changes. A pull with a cursor
 * returns the changes after it, and every response carries the cursor to send next. Clients
 * must treat it as an opaque string.
 */
public final class FeedCursor {
  private static final String PREFIX = "sn1-";

  private FeedCursor() {}

  public static String encode(long position) {
    return PREFIX + Long.toString(position, 36);
  }

  /** The position a cursor stands for; refuses strings this server did not issue. */
  public static long decode(String cursor, String field) {
    if (cursor.startsWith(PREFIX) && cursor.length() <= PREFIX.length() + 13) {
      try {
        long position = Long.parseLong(cursor.substring(PREFIX.length()), 36);
        if (position >= 0) {
          return position;
        }
      } catch (NumberFormatException e) {
        // refused below
      }
    }
    throw new InvalidInputException(field, "is not a cursor this server issued");
  }
}
