package io.syncnode.store;

import io.syncnode.protocol.Edge;
import io.syncnode.protocol.schema.EntitySchemas;

/** The edges table: keyed by (from_id, to_id, relation), with the wire id as a generated column. */
public final class EdgeTable extends EntityTable<Edge> {
  public EdgeTable() {
    super(EntitySchemas.EDGE);
  }

  @Override
  public String conflictContentColumn() {
    return "NULL::text";
  }

  /** Edges have no namespace: an edge belongs to the namespaces of the memories it links. */
  @Override
  public String namespaceFilter(String alias) {
    return "EXISTS (SELECT 1 FROM memories nm WHERE nm.tenant_id = " + alias + ".tenant_id"
        + " AND nm.id IN (" + alias + ".from_id, " + alias + ".to_id) AND nm.namespace_id = ANY($ns))";
  }

  @Override
  public boolean pullsByNamespace() {
    return false;
  }
}
