package io.syncnode.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.schema.Field;
import io.syncnode.support.NodeTestBase;
import io.vertx.core.Future;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The tables made from the schemas match the migrated database: every field has its column, of
 * its kind's type, every column but the bookkeeping ones is a field, and the select list gives a
 * row its fields' columns in field order, which is where {@code fromRow} and the row JSON read them.
 */
class EntityTableTest extends NodeTestBase {
  /** Columns that are no field of the protocol's. */
  private static final Set<String> BOOKKEEPING = Set.of("tenant_id", "change_pos", "changed_at");
  private static final List<EntityTable<?>> TABLES = List.of(new MemoryTable(), new SessionTable(), new EdgeTable());

  @Test
  void everyColumnIsAFieldOfItsKindsType(VertxTestContext test) {
    checkEachTable(EntityTableTest::checkColumns).onComplete(test.succeedingThenComplete());
  }

  @Test
  void theSelectListHasTheFieldsColumnsInFieldOrder(VertxTestContext test) {
    checkEachTable(EntityTableTest::checkSelected).onComplete(test.succeedingThenComplete());
  }

  private static Future<?> checkEachTable(BiFunction<Pool, EntityTable<?>, Future<Void>> check) {
    Pool pool = db.pool(vertx);
    return Future.all(TABLES.stream().map(table -> check.apply(pool, table)).toList()).eventually(pool::close);
  }

  @Test
  void theStoredColumnsAreTheSchemasByRole() {
    MemoryTable memories = new MemoryTable();
    assertThat(memories.keyColumns()).containsExactly("id");
    assertThat(memories.dataColumns()).extracting(Column::name).doesNotContain("id", "last_modified_by")
        .contains("vector_clock", "content", "metadata", "visibility")
        .hasSize(memories.schema().fields().size() - 2 + 1).last().isEqualTo("merkle_bucket");
    EdgeTable edges = new EdgeTable();
    assertThat(edges.keyColumns()).containsExactly("from_id", "to_id", "relation");
    assertThat(edges.dataColumns()).extracting(Column::name)
        .containsExactly("vector_clock", "content_hash", "deleted_at", "created_at", "updated_at", "weight",
            "created_by", "metadata");
    assertThat(edges.dataColumns()).extracting(Column::arrayType)
        .containsExactly("text[]", "text[]", "timestamptz[]", "timestamptz[]", "timestamptz[]", "float8[]", "text[]",
            "text[]");
    assertThat(edges.dataColumns()).extracting(Column::cast)
        .containsExactly("::json", "", "", "", "", "", "", "::json");
  }

  private static <E extends SyncEntity> Future<Void> checkColumns(Pool pool, EntityTable<E> table) {
    return pool.preparedQuery("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
            + " WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum")
        .execute(Tuple.of(table.table()))
        .map(rows -> {
          Map<String, String> types = new LinkedHashMap<>();
          rows.forEach(row -> types.put(row.getString(0), row.getString(1)));
          for (Field<? super E> field : table.schema().fields()) {
            assertThat(types).as(table.table()).containsEntry(field.column(), field.kind().sqlType());
            types.remove(field.column());
          }
          for (Column<E> derived : table.derivedColumns()) {
            assertThat(types).as(table.table() + " derived").containsKey(derived.name());
            types.remove(derived.name());
          }
          assertThat(types.keySet()).as(table.table() + " columns without a field").isEqualTo(BOOKKEEPING);
          return null;
        });
  }

  private static <E extends SyncEntity> Future<Void> checkSelected(Pool pool, EntityTable<E> table) {
    return pool.query("SELECT 1 AS before, " + table.selectList() + " FROM " + table.table() + " LIMIT 0").execute()
        .map((RowSet<Row> rows) -> {
          List<String> columns = rows.columnsNames();
          List<Field<? super E>> fields = table.schema().fields();
          assertThat(columns).hasSize(fields.size() + 1);
          for (int i = 0; i < fields.size(); i++) {
            assertThat(columns.get(1 + i)).as(table.table() + " column " + (1 + i)).isEqualTo(fields.get(i).column());
          }
          return null;
        });
  }
}
