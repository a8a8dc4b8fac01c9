-- Metadata is kept as the JSON text the node wrote (json), not as jsonb: jsonb normalises numbers
-- (6.02e+23 comes back as 602000000000000000000000, an integer to a client) and reorders keys.
-- No query searches metadata; it is stored and returned as it is.
ALTER TABLE memories ALTER COLUMN metadata TYPE json USING metadata::json;
ALTER TABLE sessions ALTER COLUMN metadata TYPE json USING metadata::json;
ALTER TABLE edges ALTER COLUMN metadata TYPE json USING metadata::json;
ALTER TABLE memories ALTER COLUMN metadata SET STATISTICS 0;
ALTER TABLE sessions ALTER COLUMN metadata SET STATISTICS 0;
ALTER TABLE edges ALTER COLUMN metadata SET STATISTICS 0;

-- A tenant's salt for end-to-end encryption: newer contextfs clients derive their content key from
-- their API key and this salt (GET /api/auth/encryption-salt). A tenant has one only once
-- `admin create-key --e2ee` made it; without one the endpoint answers 404 and clients do not encrypt.
-- No foreign key: with auth.mode=none the tenant `default` has no row in tenants.
CREATE TABLE encryption_salts (
    tenant_id  text        PRIMARY KEY,
    salt       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
