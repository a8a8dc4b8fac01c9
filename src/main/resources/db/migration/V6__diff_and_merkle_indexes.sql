-- A diff or Merkle request restricted to namespaces reads the rows of those namespaces only, not
-- every row of the tenant. Equal keys share one index entry (B-tree deduplication), so these
-- indexes stay small and cost a push little.
CREATE INDEX memories_by_namespace ON memories (tenant_id, namespace_id);
CREATE INDEX sessions_by_namespace ON sessions (tenant_id, namespace_id);

-- An entity's Merkle bucket: the first byte of the SHA-256 of its id's UTF-8 bytes. convert_to is
-- only STABLE (it looks the encoding up), but the database's encoding never changes, so the
-- bucket of an id never does: declared IMMUTABLE, it can be indexed.
CREATE FUNCTION syncnode_merkle_bucket(id text) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
  RETURN get_byte(sha256(convert_to(id, 'UTF8')), 0);
END
$$;

-- The Merkle entries of a few buckets read the memories of those buckets only.
CREATE INDEX memories_by_merkle_bucket ON memories (tenant_id, syncnode_merkle_bucket(id));
