package io.syncnode.store;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.TestDatabase;
import io.syncnode.worker.api.MerkleSummary;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The diff and Merkle statements read the same rows whether PostgreSQL takes the indexes of V6
 * and V7 (by namespace, by stored Merkle bucket) or scans the table, whether a row's bucket is
 * stored or not, and the indexes match the statements' own expressions, so that the planner can
 * take them at all.
 */
class IndexedDiffAndMerkleTest {
  private static final EntitySql SQL = new EntitySql(new MemoryTable());
  /** PostgreSQL may use any plan but a scan of the table. */
  private static final String INDEXES = "SET enable_seqscan = off";
  /** PostgreSQL must scan the table. */
  private static final String SCAN = "SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off";

  private static Vertx vertx;
  private static TestDatabase db;
  private static Pool pool;

  @BeforeAll
  static void fill() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabase.create(IndexedDiffAndMerkleTest.class);
    pool = db.pool(vertx);
    // 3,000 memories of two tenants in three namespaces; every 7th a tombstone, every 11th without a hash;
    // ids with characters beyond ASCII, whose UTF-8 bytes decide their bucket
    // half of them with their bucket stored, as a node writes them; the others without, as an older
    // node writes them
    await(pool.query("INSERT INTO memories (tenant_id, id, merkle_bucket, vector_clock, content_hash, deleted_at,"
        + " created_at, updated_at, content, type, tags, namespace_id, metadata, change_pos, changed_at)"
        + " SELECT CASE WHEN g % 5 = 0 THEN 'b' ELSE 'a' END, 'mé-' || g,"
        + " CASE WHEN g % 2 = 0 THEN syncnode_merkle_bucket('mé-' || g) END, '{}',"
        + " CASE WHEN g % 11 = 0 THEN NULL ELSE substr(md5(g::text), 1, 16) END,"
        + " CASE WHEN g % 7 = 0 THEN now() END, now(), now(), 'x', 'fact', '{}', 'n' || (g % 3), '{}', g, now()"
        + " FROM generate_series(1, 3000) g").execute());
    await(pool.query("ANALYZE memories").execute());
  }

  @AfterAll
  static void drop() throws Exception {
    await(pool.close());
    await(vertx.close());
    db.close();
  }

  /** The rows of {@code sql} under the plan {@code settings} allow, each row as text. */
  private static List<String> rows(String settings, String sql, Tuple params) throws Exception {
    return await(pool.withConnection(conn -> conn.query(settings).execute()
        .compose(set -> conn.preparedQuery(sql).execute(params))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(row.toJson().encode());
          }
          return out;
        })));
  }

  private static String plan(String settings, String sql, Tuple params) throws Exception {
    return String.join("\n", rows(settings, "EXPLAIN " + sql, params));
  }

  private static Tuple merkleEntries(String[] namespaces, Integer... buckets) {
    return Tuple.of("a", namespaces, buckets);
  }

  @Test
  void merkleEntriesOfAFewBucketsAreTheSameByIndexAndByScan() throws Exception {
    for (String[] namespaces : new String[][] {null, {"n1"}, {"n0", "n2"}}) {
      Tuple params = merkleEntries(namespaces, 0, 17, 202, 255);
      List<String> byIndex = rows(INDEXES, SQL.merkleEntries, params);
      assertThat(byIndex).isNotEmpty().isEqualTo(rows(SCAN, SQL.merkleEntries, params));
    }
    assertThat(plan(INDEXES, SQL.merkleEntries, merkleEntries(null, 3))).contains("memories_by_merkle_bucket");
  }

  @Test
  void merkleSummariesAreTheSameByIndexAndByScan() throws Exception {
    for (String[] namespaces : new String[][] {null, {"n1"}}) {
      Tuple params = Tuple.tuple().addString("a").addValue(namespaces);
      List<String> byIndex = rows(INDEXES, SQL.merkleBuckets, params);
      assertThat(byIndex).hasSizeGreaterThan(200);
      assertThat(byIndex).containsExactlyInAnyOrderElementsOf(rows(SCAN, SQL.merkleBuckets, params));
    }
  }

  /** The stored bucket function is the protocol's: the first byte of SHA-256 of the id's UTF-8 bytes. */
  @Test
  void theIndexedBucketIsTheFirstByteOfTheSha256OfTheId() throws Exception {
    List<String> entries = rows(INDEXES, SQL.merkleEntries, merkleEntries(null, 202));
    assertThat(entries).isNotEmpty();
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (String entry : entries) {
      String id = new io.vertx.core.json.JsonObject(entry).getString("id");
      assertThat(sha256.digest(id.getBytes(StandardCharsets.UTF_8))[0] & 0xff).as(id).isEqualTo(202);
    }
    assertThat(await(pool.query("SELECT syncnode_merkle_bucket('m1')").execute()).iterator().next().getInteger(0))
        .isEqualTo(202);
    assertThat(MerkleSummary.bucketOf("m1")).isEqualTo(202);
    for (String id : List.of("mé-1", "😀", "")) {
      Tuple param = Tuple.of(id);
      assertThat(await(pool.preparedQuery("SELECT syncnode_merkle_bucket($1)").execute(param)).iterator().next()
          .getInteger(0)).as(id).isEqualTo(MerkleSummary.bucketOf(id));
    }
  }

  @Test
  void aDiffOfNamespacesIsTheSameByIndexAndByScan() throws Exception {
    // the manifest: half of n1's memories of tenant a (every 4th with another hash), and ids the server lacks
    List<String> ids = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    for (int g = 1; g <= 3000; g += 2) {
      if (g % 5 != 0 && g % 3 == 1) {
        ids.add("mé-" + g);
        hashes.add(g % 4 == 1 ? "0000000000000000" : null);
      }
    }
    for (int g = 0; g < 20; g++) {
      ids.add("unknown-" + g);
      hashes.add(null);
    }
    Tuple params = Tuple.of("a", ids.toArray(String[]::new), hashes.toArray(String[]::new),
        new OffsetDateTime[ids.size()], new OffsetDateTime[ids.size()], new String[] {"n1"});
    List<String> byIndex = rows(INDEXES, SQL.diff, params);
    assertThat(byIndex).hasSizeGreaterThan(500)
        .anyMatch(row -> row.contains("\"kind\":\"missing\""))
        .anyMatch(row -> row.contains("\"kind\":\"updated\""))
        .anyMatch(row -> row.contains("\"kind\":\"deleted\""))
        .anyMatch(row -> row.contains("\"kind\":\"server_missing\""));
    assertThat(byIndex).containsExactlyInAnyOrderElementsOf(rows(SCAN, SQL.diff, params));
    assertThat(plan(INDEXES, SQL.diff, params)).contains("memories_by_namespace");
  }

}
