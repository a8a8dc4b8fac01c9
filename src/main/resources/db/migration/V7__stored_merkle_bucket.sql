-- A memory's Merkle bucket is stored by the write that inserts it (the node works it out), and
-- indexed as a plain column: the expression index of V6 ran SHA-256 through a function call on
-- every insert, which made inserts half as dear again. Rows stored before are filled in here; a
-- row an older node inserts meanwhile has none and is found by syncnode_merkle_bucket(id).
ALTER TABLE memories ADD COLUMN merkle_bucket smallint;
UPDATE memories SET merkle_bucket = syncnode_merkle_bucket(id);
DROP INDEX memories_by_merkle_bucket;
CREATE INDEX memories_by_merkle_bucket ON memories (tenant_id, merkle_bucket);
