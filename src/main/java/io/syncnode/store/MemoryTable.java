package io.syncnode.store;

import io.syncnode.protocol.Memory;
import io.syncnode.protocol.schema.EntitySchemas;
import io.syncnode.worker.api.MerkleSummary;
import java.util.List;

/** The memories table. */
public final class MemoryTable extends EntityTable<Memory> {
  public MemoryTable() {
    super(EntitySchemas.MEMORY);
  }

  /**
   * The Merkle bucket, stored by each write (V7) so that a request for a few buckets reads their
   * rows through an index. Worked out here rather than by the database: an index on the SHA-256
   * expression made every insert half as dear again. A row written before V7 was filled in by the
   * migration; one written meanwhile by an older node has none, and is found by the expression.
   */
  @Override
  protected List<Column<Memory>> derivedColumns() {
    return List.of(new Column<>("merkle_bucket", "int4[]", "", Integer.class,
        write -> MerkleSummary.bucketOf(write.entity().id())));
  }

  @Override
  public String merkleBucket() {
    return "coalesce(t.merkle_bucket, syncnode_merkle_bucket(t.id))";
  }

  @Override
  public String inMerkleBuckets(String param) {
    return "(t.merkle_bucket = ANY(" + param + "::int[])"
        + " OR (t.merkle_bucket IS NULL AND syncnode_merkle_bucket(t.id) = ANY(" + param + "::int[])))";
  }

  @Override
  public boolean diffsByTime() {
    return true;
  }

  @Override
  public String conflictContentColumn() {
    return "t.content";
  }

  @Override
  public String namespaceFilter(String alias) {
    return alias + ".namespace_id = ANY($ns)";
  }
}
