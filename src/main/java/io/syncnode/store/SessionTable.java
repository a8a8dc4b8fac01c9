package io.syncnode.store;

import io.syncnode.protocol.Session;
import io.syncnode.protocol.schema.EntitySchemas;

/** The sessions table. */
public final class SessionTable extends EntityTable<Session> {
  public SessionTable() {
    super(EntitySchemas.SESSION);
  }

  @Override
  public String conflictContentColumn() {
    return "t.summary";
  }

  @Override
  public String namespaceFilter(String alias) {
    return alias + ".namespace_id = ANY($ns)";
  }
}
