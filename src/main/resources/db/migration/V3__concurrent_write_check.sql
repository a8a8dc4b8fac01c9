-- A push writes its batch and commits in one pipelined round trip, so the write itself must fail
-- (and abort the transaction) when a concurrent transaction inserted one of its new ids first.
-- SQLSTATE 40001 (serialization_failure): the node decides the batch again.
CREATE FUNCTION syncnode_concurrent_write(table_name text) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'concurrent insert into %', table_name USING ERRCODE = '40001';
END
$$;
