package io.syncnode.store;

import io.syncnode.protocol.Memory;
import io.syncnode.protocol.schema.EntitySchemas;

/** The memories table. */
public final class MemoryTable extends EntityTable<Memory> {
  public MemoryTable() {
    super(EntitySchemas.MEMORY);
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
