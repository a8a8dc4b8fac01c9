package io.syncnode.store;

import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.VectorClock;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a table's select list from a row in its order, by position: looking every column up by
 * name costs a scan of the row's column names each time, which shows on pages of thousands.
 */
final class SelectedColumns {
  private final Row row;
  private int next;

  /** The select list starts at the row's {@code id} column (queries put other columns before it). */
  SelectedColumns(Row row) {
    this.row = row;
    this.next = row.getColumnIndex("id");
  }

  String text() {
    return row.getString(next++);
  }

  Instant time() {
    return StoredText.instant(row.getOffsetDateTime(next++));
  }

  VectorClock clock() {
    return StoredText.parseClock(row.getString(next++));
  }

  RawJson json() {
    return new RawJson(row.getString(next++));
  }

  List<String> texts() {
    return Arrays.asList(row.getArrayOfStrings(next++));
  }

  float[] floats() {
    return StoredText.floats(row.getArrayOfFloats(next++));
  }

  Boolean bool() {
    return row.getBoolean(next++);
  }

  Double number() {
    return row.getDouble(next++);
  }

  void skip() {
    next++;
  }
}
