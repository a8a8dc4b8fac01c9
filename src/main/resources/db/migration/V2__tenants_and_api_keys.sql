-- Tenants and their API keys. A key is shown once, when it is created; only the SHA-256 of its
-- secret part is stored (keys are 256-bit random, so a fast hash is enough).
CREATE TABLE tenants (
    tenant_id  text        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE api_keys (
    key_id      text        PRIMARY KEY,
    tenant_id   text        NOT NULL REFERENCES tenants (tenant_id),
    secret_hash bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id);
