package io.syncnode.store;

import io.syncnode.protocol.Edge;
import io.syncnode.protocol.EntityType;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.util.List;

/** The edges table: keyed by (from_id, to_id, relation), with the wire id as a generated column. */
public final class EdgeTable extends EntityTable<Edge> {
  private final List<Column<Edge>> columns;

  public EdgeTable() {
    columns = commonColumns();
    columns.addAll(List.of(
        Column.float8("weight", w -> w.entity().weight()),
        Column.text("created_by", w -> w.entity().createdBy()),
        Column.castText("metadata", "json", w -> w.entity().metadata().text())));
  }

  @Override
  public EntityType type() {
    return EntityType.EDGE;
  }

  @Override
  public String table() {
    return "edges";
  }

  @Override
  public List<String> keyColumns() {
    return List.of("from_id", "to_id", "relation");
  }

  @Override
  public List<String> keyValues(Edge edge) {
    return List.of(edge.fromId(), edge.toId(), edge.relation());
  }

  @Override
  public List<Column<Edge>> dataColumns() {
    return columns;
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

  @Override
  public String selectList() {
    return commonSelect() + ", from_id, to_id, relation, weight, created_by, metadata::text AS metadata";
  }

  @Override
  public Edge fromRow(Row row) {
    SelectedColumns c = new SelectedColumns(row);
    c.skip(); // the id is derived from the triple
    // arguments are evaluated left to right: the order of selectList()
    return new Edge(c.clock(), c.text(), c.time(), c.time(), c.time(), c.text(),
        c.text(), c.text(), c.text(), c.number(), c.text(), c.json());
  }

  @Override
  void writeJson(RowJson row) throws IOException {
    row.startObject();
    row.common(); // the stored id is generated as Edge.idOf(from_id, to_id, relation)
    row.text("from_id");
    row.text("to_id");
    row.text("relation");
    row.number("weight");
    row.text("created_by");
    row.json("metadata");
    row.endObject();
  }

}
