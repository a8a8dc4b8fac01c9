package io.syncnode.store;

import io.syncnode.protocol.SyncEntity;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements that write a pushed batch into one entity table. Parameters: $1 tenant, $2
 * pushing device, $3 the transaction's first change position, then one array per key column and
 * per data column; row i of the arrays (from 1) takes position $3 + i. A batch of only new rows or
 * only stored rows gets a statement of its own, so that PostgreSQL does not materialize the input
 * for a kind of row the batch does not have. A new row that a concurrent transaction inserted
 * first fails the insert (unique violation); an update that finds fewer rows than were locked
 * fails through the function of migration V3.
 */
final class WriteSql {
  private static final int FIRST_ARRAY = 4;

  final String insertOnly;
  /** Then: the expected count of updated rows. */
  final String updateOnly;
  /** Then: which rows are new (bool[]), and the expected count of updated rows. */
  final String insertAndUpdate;

  <E extends SyncEntity> WriteSql(EntityTable<E> table) {
    List<String> keys = table.keyColumns();
    List<Column<E>> columns = table.dataColumns();
    String t = table.table();

    StringBuilder arrays = new StringBuilder();
    // unnested in the select list, in step: unlike unnest in FROM, this does not materialize the rows first
    StringBuilder unnested = new StringBuilder();
    int param = FIRST_ARRAY;
    for (int k = 0; k < keys.size(); k++, param++) {
      arrays.append("$").append(param).append("::text[], ");
      unnested.append("unnest($").append(param).append("::text[]), ");
    }
    for (Column<E> column : columns) {
      arrays.append("$").append(param).append("::").append(column.arrayType()).append(", ");
      unnested.append("unnest($").append(param).append("::").append(column.arrayType()).append(")")
          .append(column.cast()).append(", ");
      param++;
    }
    int afterArrays = param;

    String dataColumns = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    String inputColumns = String.join(", ", keys) + ", " + dataColumns;
    String insertInto = "INSERT INTO " + t + " (tenant_id, " + inputColumns + ", last_modified_by, change_pos,"
        + " changed_at) SELECT $1, ";
    String update = "UPDATE " + t + " AS t SET "
        + columns.stream().map(c -> c.name() + " = i." + c.name() + c.cast()).collect(Collectors.joining(", "))
        + ", last_modified_by = $2, change_pos = $3::bigint + i.ord, changed_at = statement_timestamp() FROM ";
    String updateMatch = " WHERE t.tenant_id = $1 AND "
        + keys.stream().map(k -> "t." + k + " = i." + k).collect(Collectors.joining(" AND "));
    String checkUpdated = " SELECT CASE WHEN count(*) = $%d THEN 0 ELSE syncnode_concurrent_write('" + t + "') END"
        + " FROM updated";

    insertOnly = insertInto + unnested
        + "$2, $3::bigint + generate_series(1, cardinality($" + FIRST_ARRAY + "::text[])), statement_timestamp()";
    updateOnly = "WITH updated AS (" + update + "unnest(" + arrays.substring(0, arrays.length() - 2)
        + ") WITH ORDINALITY AS i(" + inputColumns + ", ord)" + updateMatch + " RETURNING 1)"
        + checkUpdated.formatted(afterArrays);
    insertAndUpdate = "WITH input AS (SELECT * FROM unnest(" + arrays + "$" + afterArrays + "::bool[])"
        + " WITH ORDINALITY AS i(" + inputColumns + ", is_insert, ord)),"
        + " updated AS (" + update + "input i" + updateMatch + " AND NOT i.is_insert RETURNING 1),"
        + " inserted AS (" + insertInto
        + keys.stream().map(k -> "i." + k).collect(Collectors.joining(", ")) + ", "
        + columns.stream().map(c -> "i." + c.name() + c.cast()).collect(Collectors.joining(", "))
        + ", $2, $3::bigint + i.ord, statement_timestamp() FROM input i WHERE i.is_insert)"
        + checkUpdated.formatted(afterArrays + 1);
  }
}
