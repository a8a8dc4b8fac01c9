-- Every synced row records where it sits in the server's order of changes:
--   change_pos = (id of the writing transaction << 20) + the row's ordinal within it,
--   changed_at = the server's time of the write.
-- Ordering by transaction id lets a reader serve exactly the changes of transactions that are
-- finished (below the snapshot's xmin), so a change committed late is never skipped.

CREATE TABLE devices (
    tenant_id      text        NOT NULL,
    device_id      text        NOT NULL,
    device_name    text        NOT NULL,
    platform       text        NOT NULL,
    client_version text        NOT NULL,
    registered_at  timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, device_id)
);

-- Per-device sync state. A device may push before it registers, so this table does not
-- reference devices.
CREATE TABLE sync_state (
    tenant_id             text        NOT NULL,
    device_id             text        NOT NULL,
    last_push_at          timestamptz,
    last_pull_at          timestamptz,
    last_sync_at          timestamptz,
    pull_position         bigint      NOT NULL DEFAULT 0,
    pull_server_timestamp timestamptz,
    PRIMARY KEY (tenant_id, device_id)
);

CREATE TABLE memories (
    tenant_id        text        NOT NULL,
    id               text        NOT NULL,
    vector_clock     jsonb       NOT NULL,
    content_hash     text,
    deleted_at       timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    last_modified_by text,
    content          text        NOT NULL,
    type             text        NOT NULL,
    tags             text[]      NOT NULL,
    summary          text,
    namespace_id     text        NOT NULL,
    repo_url         text,
    repo_name        text,
    relative_path    text,
    source_file      text,
    source_repo      text,
    source_tool      text,
    project          text,
    session_id       text,
    metadata         jsonb       NOT NULL,
    embedding        real[],
    encrypted        boolean,
    visibility       text,
    change_pos       bigint      NOT NULL,
    changed_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX memories_by_change_pos ON memories (tenant_id, change_pos);
CREATE INDEX memories_by_changed_at ON memories (tenant_id, changed_at);

CREATE TABLE sessions (
    tenant_id        text        NOT NULL,
    id               text        NOT NULL,
    vector_clock     jsonb       NOT NULL,
    content_hash     text,
    deleted_at       timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    last_modified_by text,
    label            text,
    namespace_id     text        NOT NULL,
    tool             text        NOT NULL,
    repo_url         text,
    repo_name        text,
    repo_path        text,
    branch           text,
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz,
    summary          text,
    metadata         jsonb       NOT NULL,
    change_pos       bigint      NOT NULL,
    changed_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sessions_by_change_pos ON sessions (tenant_id, change_pos);
CREATE INDEX sessions_by_changed_at ON sessions (tenant_id, changed_at);

CREATE TABLE edges (
    tenant_id        text        NOT NULL,
    from_id          text        NOT NULL,
    to_id            text        NOT NULL,
    relation         text        NOT NULL,
    id               text        GENERATED ALWAYS AS (from_id || ':' || to_id || ':' || relation) STORED,
    vector_clock     jsonb       NOT NULL,
    content_hash     text,
    deleted_at       timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    last_modified_by text,
    weight           double precision NOT NULL,
    created_by       text,
    metadata         jsonb       NOT NULL,
    change_pos       bigint      NOT NULL,
    changed_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, from_id, to_id, relation)
);
CREATE INDEX edges_by_change_pos ON edges (tenant_id, change_pos);
CREATE INDEX edges_by_changed_at ON edges (tenant_id, changed_at);
