package io.syncnode.store;

import io.syncnode.protocol.SyncEntity;
import java.util.List;
import java.util.stream.Collectors;

/** The statements of one entity table, generated once from its {@link EntityTable} description. */
final class EntitySql {
  /** change_pos = transaction id * 2^20 + ordinal: room for 1,048,575 rows per transaction. */
  static final long POSITIONS_PER_TRANSACTION = 1L << 20;

  final String lockStored;
  /** Taken by a pushing transaction before its id: what makes it a writer that holds the feed's watermark. */
  final String registerWriter;
  final WriteSql write;
  final String feedPositions;
  final String feedRows;
  final String feedRowsAndAbove;
  final String countAfter;
  final String diff;
  final String aliveByIds;
  final String lockForTombstone;
  final String writeTombstones;
  final String merkleBuckets;
  final String merkleEntries;

  <E extends SyncEntity> EntitySql(EntityTable<E> table) {
    List<String> keys = table.keyColumns();
    String t = table.table();

    // Parameters: $1 tenant, $2..: one text[] per key column. Locks in key order, so that two
    // batches touching the same rows cannot deadlock.
    String keyArrays = numbered(keys, 2, k -> "text[]");
    String keyOrder = keys.stream().map(k -> "t." + k).collect(Collectors.joining(", "));
    String lockedColumns = "SELECT " + keyOrder + ", t.vector_clock::text AS vector_clock, "
        + table.conflictContentColumn() + " AS conflict_content, t.updated_at FROM " + t + " t";
    // one key column: one index scan for the whole array, cheaper than a join with its unnested rows
    lockStored = keys.size() == 1
        ? lockedColumns + " WHERE t.tenant_id = $1 AND t." + keys.get(0) + " = ANY($2::text[])"
            + " ORDER BY " + keyOrder + " FOR UPDATE OF t"
        : lockedColumns + " JOIN unnest(" + keyArrays + ") AS k(" + String.join(", ", keys) + ")"
            + " USING (" + String.join(", ", keys) + ") WHERE t.tenant_id = $1 ORDER BY " + keyOrder + " FOR UPDATE OF t";

    write = new WriteSql(table);
    registerWriter = "LOCK TABLE " + t + " IN ROW EXCLUSIVE MODE";

    // Manifest tombstones. Parameters: $1 tenant, $2 wire ids: the alive rows of those ids, with their keys.
    String keySelect = keys.stream().map(k -> "t." + k).collect(Collectors.joining(", "));
    aliveByIds = "SELECT " + keySelect + ", t.id AS wire_id FROM " + t + " t"
        + " WHERE t.tenant_id = $1 AND t.id = ANY($2::text[]) AND t.deleted_at IS NULL";
    // Parameters: $1 tenant, $2..: one text[] per key column. The rows locked as a push locks them.
    String tombstoneColumns = "SELECT " + keySelect + ", t.id AS wire_id, t.vector_clock::text AS vector_clock,"
        + " t.content_hash, t.updated_at, t.deleted_at FROM " + t + " t";
    lockForTombstone = tombstoneColumns + " JOIN unnest(" + keyArrays + ") AS k(" + String.join(", ", keys) + ")"
        + " USING (" + String.join(", ", keys) + ") WHERE t.tenant_id = $1 ORDER BY " + keyOrder + " FOR UPDATE OF t";
    // Parameters: $1 tenant, $2 device, $3 the transaction's first change position, one text[] per key
    // column, then the rows' deleted_at (timestamptz[]) and new clocks (text[]); row i takes $3 + i.
    int afterKeys = 4 + keys.size();
    writeTombstones = "UPDATE " + t + " AS t SET deleted_at = i.deleted_at,"
        + " updated_at = GREATEST(t.updated_at, i.deleted_at), vector_clock = i.clock::json, last_modified_by = $2,"
        + " change_pos = $3::bigint + i.ord, changed_at = statement_timestamp()"
        + " FROM unnest(" + numbered(keys, 4, k -> "text[]") + ", $" + afterKeys + "::timestamptz[], $"
        + (afterKeys + 1) + "::text[]) WITH ORDINALITY AS i(" + String.join(", ", keys) + ", deleted_at, clock, ord)"
        + " WHERE t.tenant_id = $1 AND " + keys.stream().map(k -> "t." + k + " = i." + k).collect(Collectors.joining(" AND "));

    // Parameters: $1 tenant, $2 after position, $3 position bound, $4 since, $5 namespaces, $6 the
    // pulling device (null: none), $7 the position it has pulled up to, $8 the transactions whose
    // changes are skipped (already served; see FeedQuery); positions also $9 limit; rows and above
    // also $9, from where every later row is read too.
    String pullNamespaces = table.pullsByNamespace()
        ? " AND ($5::text[] IS NULL OR " + table.namespaceFilter("t").replace("$ns", "$5") + ")"
        : " AND ($5::text[] IS NULL OR TRUE)";
    String feedFilter = " WHERE t.tenant_id = $1 AND t.change_pos > $2 AND t.change_pos %s $3"
        + " AND ($4::timestamptz IS NULL OR t.changed_at > $4"
        + " OR ($6::text IS NOT NULL AND t.change_pos > $7::bigint AND t.last_modified_by IS DISTINCT FROM $6))"
        + pullNamespaces
        + " AND ($8::bigint[] IS NULL OR (t.change_pos >> 20) <> ALL($8::bigint[]))";
    feedPositions = "SELECT t.change_pos FROM " + t + " t" + feedFilter.formatted("<")
        + " ORDER BY t.change_pos LIMIT $9";
    feedRows = "SELECT " + table.selectList() + ", t.change_pos FROM " + t + " t" + feedFilter.formatted("<=")
        + " ORDER BY t.change_pos";
    // the last page of a pull: also every row at or above $9 (no upper bound), in the same snapshot
    feedRowsAndAbove = "SELECT " + table.selectList() + ", t.change_pos FROM " + t + " t"
        + feedFilter.formatted("<=").replace(" AND t.change_pos <= $3", " AND (t.change_pos <= $3 OR t.change_pos >= $9)")
        + " ORDER BY t.change_pos";
    // Parameters: $1 tenant, $2 position, $3 device: the changes of other devices after the position.
    countAfter = "SELECT count(*) FROM " + t + " WHERE tenant_id = $1 AND change_pos > $2"
        + " AND last_modified_by IS DISTINCT FROM $3";

    // Parameters: $1 tenant, $2..$5 the manifest's ids, hashes, updated_at, deleted_at; $6 namespaces.
    // The manifest is joined with the narrow columns the comparison needs; whole rows are read only
    // for the entities the client lacks or has outdated.
    String storedKeys = keys.stream().map(k -> "t." + k + " AS stored_" + k).collect(Collectors.joining(", "));
    String sameKey = keys.stream().map(k -> "t." + k + " = j.stored_" + k).collect(Collectors.joining(" AND "));
    diff = "WITH m AS (SELECT * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])"
        + " AS m(entry_id, entry_hash, entry_updated_at, entry_deleted_at)),"
        + " s AS (SELECT t.id AS stored_id, " + (keys.equals(List.of("id")) ? "" : storedKeys + ", ")
        + "t.content_hash AS stored_hash, t.updated_at AS stored_updated_at, t.deleted_at AS stored_deleted_at FROM " + t + " t WHERE t.tenant_id = $1 AND ($6::text[] IS NULL OR "
        + table.namespaceFilter("t").replace("$ns", "$6") + ")),"
        + " j AS (SELECT CASE"
        // a tombstone for an id the server does not have: nothing to store, nothing to ask for
        + " WHEN s.stored_id IS NULL THEN CASE WHEN m.entry_deleted_at IS NULL THEN 'server_missing' END"
        + " WHEN m.entry_id IS NULL THEN CASE WHEN s.stored_deleted_at IS NULL THEN 'missing' END"
        + " WHEN s.stored_deleted_at IS NOT NULL THEN CASE WHEN m.entry_deleted_at IS NULL THEN 'deleted' END"
        // deleted on the client, alive here after the manifest's tombstones were applied: the device
        // had not seen the stored version, which it gets back
        + " WHEN m.entry_deleted_at IS NOT NULL THEN 'updated'"
        + " WHEN s.stored_hash IS NOT NULL AND m.entry_hash IS NOT NULL"
        + " THEN CASE WHEN s.stored_hash <> m.entry_hash THEN 'updated' END"
        // Sessions and edges are in sync once present (and, with hashes on both sides, equal): the
        // client's manifest gives them its own times (started_at, the local created_at), not the
        // server's, so comparing times would report them on every sync.
        + (table.diffsByTime() ? " WHEN s.stored_updated_at > m.entry_updated_at THEN 'updated'" : "")
        + " END AS kind, m.entry_id, s.* FROM m FULL JOIN s ON s.stored_id = m.entry_id)"
        + " SELECT kind, entry_id, " + table.selectList() + " FROM j LEFT JOIN LATERAL (SELECT * FROM " + t + " t"
        + " WHERE j.kind IN ('missing', 'updated') AND t.tenant_id = $1 AND "
        + (keys.equals(List.of("id")) ? "t.id = j.stored_id" : sameKey) + ") t ON true"
        + " WHERE kind IS NOT NULL"
        // the entities the client needs first, then the ids to delete, then those the server lacks
        + " ORDER BY CASE kind WHEN 'missing' THEN 0 WHEN 'updated' THEN 0 WHEN 'deleted' THEN 1 ELSE 2 END";

    // Parameters: $1 tenant, $2 namespaces. Lines are ordered by the bytes of the id (collation C).
    merkleBuckets = "SELECT " + table.merkleBucket() + " AS bucket, count(*) AS entries,"
        + " encode(sha256(convert_to(string_agg(" + MERKLE_LINE + ", '' ORDER BY t.id COLLATE \"C\"), 'UTF8')), 'hex')"
        + " AS hash FROM " + t + " t" + merkleFilter(table) + " GROUP BY 1";
    // Parameters: $1 tenant, $2 namespaces, $3 the buckets wanted.
    merkleEntries = "SELECT " + table.merkleBucket() + " AS bucket, t.id, t.content_hash, t.deleted_at IS NOT NULL AS deleted"
        + " FROM " + t + " t" + merkleFilter(table) + " AND " + table.inMerkleBuckets("$3")
        + " ORDER BY 1, t.id COLLATE \"C\"";
  }

  /** The line of one entity in its bucket's hash: id, content hash, deleted flag, each ended by a newline. */
  private static final String MERKLE_LINE =
      "t.id || E'\\n' || coalesce(t.content_hash, '') || E'\\n' || CASE WHEN t.deleted_at IS NULL THEN '0' ELSE '1' END"
      + " || E'\\n'";

  private static String merkleFilter(EntityTable<?> table) {
    return " WHERE t.tenant_id = $1 AND ($2::text[] IS NULL OR " + table.namespaceFilter("t").replace("$ns", "$2") + ")";
  }

  private static String numbered(List<String> names, int first, java.util.function.Function<String, String> type) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) out.append(", ");
      out.append('$').append(first + i).append("::").append(type.apply(names.get(i)));
    }
    return out.toString();
  }
}
