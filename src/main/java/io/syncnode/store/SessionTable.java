package io.syncnode.store;

import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.Session;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.util.List;

/** The sessions table. */
public final class SessionTable extends EntityTable<Session> {
  private final List<Column<Session>> columns;

  public SessionTable() {
    columns = commonColumns();
    columns.addAll(List.of(
        Column.text("label", w -> w.entity().label()),
        Column.text("namespace_id", w -> w.entity().namespaceId()),
        Column.text("tool", w -> w.entity().tool()),
        Column.text("repo_url", w -> w.entity().repoUrl()),
        Column.text("repo_name", w -> w.entity().repoName()),
        Column.text("repo_path", w -> w.entity().repoPath()),
        Column.text("branch", w -> w.entity().branch()),
        Column.time("started_at", w -> StoredText.utc(w.entity().startedAt())),
        Column.time("ended_at", w -> StoredText.utc(w.entity().endedAt())),
        Column.text("summary", w -> w.entity().summary()),
        Column.castText("metadata", "json", w -> w.entity().metadata().text())));
  }

  @Override
  public EntityType type() {
    return EntityType.SESSION;
  }

  @Override
  public String table() {
    return "sessions";
  }

  @Override
  public List<String> keyColumns() {
    return List.of("id");
  }

  @Override
  public List<String> keyValues(Session session) {
    return List.of(session.id());
  }

  @Override
  public List<Column<Session>> dataColumns() {
    return columns;
  }

  @Override
  public String conflictContentColumn() {
    return "t.summary";
  }

  @Override
  public String namespaceFilter(String alias) {
    return alias + ".namespace_id = ANY($ns)";
  }

  @Override
  public String selectList() {
    return commonSelect() + ", label, namespace_id, tool, repo_url, repo_name, repo_path, branch, started_at,"
        + " ended_at, summary, metadata::text AS metadata";
  }

  @Override
  public Session fromRow(Row row) {
    SelectedColumns c = new SelectedColumns(row);
    // arguments are evaluated left to right: the order of selectList()
    return new Session(c.text(), c.clock(), c.text(), c.time(), c.time(), c.time(), c.text(),
        c.text(), c.text(), c.text(), c.text(), c.text(), c.text(), c.text(), c.time(), c.time(), c.text(), c.json());
  }

  @Override
  void writeJson(RowJson row) throws IOException {
    row.startObject();
    row.common();
    row.text("label");
    row.text("namespace_id");
    row.text("tool");
    row.text("repo_url");
    row.text("repo_name");
    row.text("repo_path");
    row.text("branch");
    row.time("started_at");
    row.time("ended_at");
    row.text("summary");
    row.json("metadata");
    row.endObject();
  }

}
