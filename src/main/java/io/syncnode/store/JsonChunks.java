package io.syncnode.store;

import io.syncnode.protocol.SyncEntity;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * Turns the chunks of rows a cursor reads into the protocol's JSON, one buffer per chunk: the
 * objects separated by commas, and every chunk but the first led by a comma, so that the chunks
 * written one after the other are the inside of a JSON array. One instance per cursor.
 */
final class JsonChunks<E extends SyncEntity> implements Function<RowSet<Row>, List<Buffer>> {
  /** The first chunk's guess of a row's size: about a memory with a few hundred bytes of content. */
  private static final int FIRST_BYTES_PER_ROW = 1024;

  private final EntityTable<E> table;
  private boolean started;
  /** Sized from the chunks before, so that a small chunk takes one array of about its size. */
  private int bytesPerRow = FIRST_BYTES_PER_ROW;

  JsonChunks(EntityTable<E> table) {
    this.table = table;
  }

  @Override
  public List<Buffer> apply(RowSet<Row> rows) {
    return List.of(write(rows, rows.size()));
  }

  /** The first {@code count} of the rows, as the only chunk. */
  Buffer first(RowSet<Row> rows, int count) {
    return write(rows, count);
  }

  private Buffer write(RowSet<Row> rows, int count) {
    SegmentedOutput out = new SegmentedOutput((long) count * bytesPerRow + 1);
    if (started && count > 0) {
      out.write(',');
    }
    try {
      RowJson json = table.rowJson();
      int start = -1;
      int written = 0;
      for (Row row : rows) {
        if (written == count) {
          break;
        }
        if (start < 0) {
          start = table.selectStart(row);
        }
        if (written++ > 0) {
          out.write(',');
        }
        json.write(row, start, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (count > 0) {
      started = true;
      bytesPerRow = (int) Math.min(Integer.MAX_VALUE, out.size() / count + out.size() / count / 8 + 16);
    }
    return out.toBuffer();
  }
}
