package io.syncnode.protocol.schema;

import static io.syncnode.protocol.schema.Field.bool;
import static io.syncnode.protocol.schema.Field.clock;
import static io.syncnode.protocol.schema.Field.floats;
import static io.syncnode.protocol.schema.Field.identifier;
import static io.syncnode.protocol.schema.Field.json;
import static io.syncnode.protocol.schema.Field.number;
import static io.syncnode.protocol.schema.Field.text;
import static io.syncnode.protocol.schema.Field.texts;
import static io.syncnode.protocol.schema.Field.time;

import io.syncnode.protocol.Edge;
import io.syncnode.protocol.EntityType;
import io.syncnode.protocol.InputLimits;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.SyncEntity;
import io.syncnode.protocol.schema.Field.Storage;

/**
 * The fields of memories, sessions and edges. A new field is a line here (in the order of the
 * record's components), its record component, and a migration adding its column.
 */
public final class EntitySchemas {
  private EntitySchemas() {}

  // The fields every type has (the protocol's SyncableEntity).
  private static final Field<SyncEntity> ID = identifier("id", SyncEntity::id).required().storedAs(Storage.KEY);
  /** An edge's id is from_id:to_id:relation: accepted in a push (and checked), but derived, never taken from it. */
  private static final Field<SyncEntity> DERIVED_ID = identifier("id", SyncEntity::id).storedAs(Storage.GENERATED);
  private static final Field<SyncEntity> VECTOR_CLOCK = clock("vector_clock", SyncEntity::vectorClock);
  private static final Field<SyncEntity> CONTENT_HASH = text("content_hash", SyncEntity::contentHash)
      .limit(InputLimits::idBytes);
  private static final Field<SyncEntity> DELETED_AT = time("deleted_at", SyncEntity::deletedAt);
  private static final Field<SyncEntity> CREATED_AT = time("created_at", SyncEntity::createdAt).orElseNow();
  private static final Field<SyncEntity> UPDATED_AT = time("updated_at", SyncEntity::updatedAt).orElseNow();
  private static final Field<SyncEntity> LAST_MODIFIED_BY = text("last_modified_by", SyncEntity::lastModifiedBy)
      .limit(InputLimits::idBytes).storedAs(Storage.SET_BY_WRITE);
  private static final Field<SyncEntity> METADATA = json("metadata", SyncEntity::metadata);

  public static final EntitySchema<Memory> MEMORY = new EntitySchema<>(EntityType.MEMORY, "memories", Memory.class,
      ID, VECTOR_CLOCK, CONTENT_HASH, DELETED_AT, CREATED_AT, UPDATED_AT, LAST_MODIFIED_BY,
      text("content", Memory::content).limit(InputLimits::contentChars).required(),
      text("type", Memory::type).limit(InputLimits::idBytes).orElse("fact"),
      texts("tags", Memory::tags),
      text("summary", Memory::summary),
      identifier("namespace_id", Memory::namespaceId).orElse("global"),
      text("repo_url", Memory::repoUrl),
      text("repo_name", Memory::repoName),
      text("relative_path", Memory::relativePath),
      text("source_file", Memory::sourceFile),
      text("source_repo", Memory::sourceRepo),
      text("source_tool", Memory::sourceTool),
      text("project", Memory::project),
      text("session_id", Memory::sessionId).limit(InputLimits::idBytes),
      METADATA,
      floats("embedding", Memory::embedding),
      bool("encrypted", Memory::encrypted).omitWhenNull(),
      text("visibility", Memory::visibility).limit(InputLimits::idBytes).omitWhenNull());

  public static final EntitySchema<Session> SESSION = new EntitySchema<>(EntityType.SESSION, "sessions", Session.class,
      ID, VECTOR_CLOCK, CONTENT_HASH, DELETED_AT, CREATED_AT, UPDATED_AT, LAST_MODIFIED_BY,
      text("label", Session::label),
      identifier("namespace_id", Session::namespaceId).orElse("global"),
      text("tool", Session::tool).orElse("contextfs"),
      text("repo_url", Session::repoUrl),
      text("repo_name", Session::repoName),
      text("repo_path", Session::repoPath),
      text("branch", Session::branch),
      time("started_at", Session::startedAt).orElseNow(),
      time("ended_at", Session::endedAt),
      text("summary", Session::summary).limit(InputLimits::contentChars),
      METADATA);

  public static final EntitySchema<Edge> EDGE = new EntitySchema<>(EntityType.EDGE, "edges", Edge.class,
      DERIVED_ID, VECTOR_CLOCK, CONTENT_HASH, DELETED_AT, CREATED_AT, UPDATED_AT, LAST_MODIFIED_BY,
      identifier("from_id", Edge::fromId).required().storedAs(Storage.KEY),
      identifier("to_id", Edge::toId).required().storedAs(Storage.KEY),
      identifier("relation", Edge::relation).required().storedAs(Storage.KEY),
      number("weight", Edge::weight, 1.0),
      text("created_by", Edge::createdBy).limit(InputLimits::idBytes),
      METADATA);

  @SuppressWarnings("unchecked")
  public static <E extends SyncEntity> EntitySchema<E> of(EntityType type) {
    return (EntitySchema<E>) switch (type) {
      case MEMORY -> MEMORY;
      case SESSION -> SESSION;
      case EDGE -> EDGE;
    };
  }
}
