package io.syncnode.protocol;

/**
 * A JSON value kept as validated text (entity metadata): stored in a json column (its text kept) and written back
 * into responses without being decoded into objects.
 */
public record RawJson(String text) {
  public static final RawJson EMPTY_OBJECT = new RawJson("{}");
}
