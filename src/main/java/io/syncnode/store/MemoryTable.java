package io.syncnode.store;

import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.Memory;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.util.List;

/** The memories table. */
public final class MemoryTable extends EntityTable<Memory> {
  private final List<Column<Memory>> columns;

  public MemoryTable() {
    columns = commonColumns();
    columns.addAll(List.of(
        Column.text("content", w -> w.entity().content()),
        Column.text("type", w -> w.entity().type()),
        Column.castText("tags", "text[]", w -> StoredText.textArray(w.entity().tags())),
        Column.text("summary", w -> w.entity().summary()),
        Column.text("namespace_id", w -> w.entity().namespaceId()),
        Column.text("repo_url", w -> w.entity().repoUrl()),
        Column.text("repo_name", w -> w.entity().repoName()),
        Column.text("relative_path", w -> w.entity().relativePath()),
        Column.text("source_file", w -> w.entity().sourceFile()),
        Column.text("source_repo", w -> w.entity().sourceRepo()),
        Column.text("source_tool", w -> w.entity().sourceTool()),
        Column.text("project", w -> w.entity().project()),
        Column.text("session_id", w -> w.entity().sessionId()),
        Column.castText("metadata", "json", w -> w.entity().metadata().text()),
        Column.castText("embedding", "real[]", w -> StoredText.realArray(w.entity().embedding())),
        Column.bool("encrypted", w -> w.entity().encrypted()),
        Column.text("visibility", w -> w.entity().visibility())));
  }

  @Override
  public EntityType type() {
    return EntityType.MEMORY;
  }

  @Override
  public String table() {
    return "memories";
  }

  @Override
  public List<String> keyColumns() {
    return List.of("id");
  }

  @Override
  public List<String> keyValues(Memory memory) {
    return List.of(memory.id());
  }

  @Override
  public List<Column<Memory>> dataColumns() {
    return columns;
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

  @Override
  public String selectList() {
    return commonSelect() + ", content, type, tags, summary, namespace_id, repo_url, repo_name, relative_path,"
        + " source_file, source_repo, source_tool, project, session_id, metadata::text AS metadata, embedding,"
        + " encrypted, visibility";
  }

  @Override
  public Memory fromRow(Row row) {
    SelectedColumns c = new SelectedColumns(row);
    // arguments are evaluated left to right: the order of selectList()
    return new Memory(c.text(), c.clock(), c.text(), c.time(), c.time(), c.time(), c.text(),
        c.text(), c.text(), c.texts(), c.text(), c.text(), c.text(), c.text(), c.text(), c.text(), c.text(),
        c.text(), c.text(), c.text(), c.json(), c.floats(), c.bool(), c.text());
  }

  @Override
  void writeJson(RowJson row) throws IOException {
    row.startObject();
    row.common();
    row.text("content");
    row.text("type");
    row.texts("tags");
    row.text("summary");
    row.text("namespace_id");
    row.text("repo_url");
    row.text("repo_name");
    row.text("relative_path");
    row.text("source_file");
    row.text("source_repo");
    row.text("source_tool");
    row.text("project");
    row.text("session_id");
    row.json("metadata");
    row.floats("embedding");
    // clients declare these two as non-null with defaults: left out rather than sent as null
    row.boolOrAbsent("encrypted");
    row.textOrAbsent("visibility");
    row.endObject();
  }

}
