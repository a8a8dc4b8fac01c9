-- A vector clock is kept as the JSON text the node wrote (json), not as jsonb. No query looks
-- inside a clock: the node reads it, compares and writes it whole. jsonb made PostgreSQL render
-- every clock it sent back to text (a binary COPY of the feed's columns, 100,000 memories: 423 ms
-- with the clock rendered from jsonb, 321 ms without; 11 to 12% of PostgreSQL's CPU per pulled
-- memory), and parse every clock a push stored into its binary form. Clocks stored before keep
-- jsonb's layout ({"a": 1}); both layouts are the same JSON to a client.
-- The type change rewrites each table under an exclusive lock: a node that runs this migration
-- holds writes and reads of these tables for as long as the rewrite takes.
ALTER TABLE memories ALTER COLUMN vector_clock TYPE json USING vector_clock::json;
ALTER TABLE sessions ALTER COLUMN vector_clock TYPE json USING vector_clock::json;
ALTER TABLE edges ALTER COLUMN vector_clock TYPE json USING vector_clock::json;
