package io.syncnode.worker.api;

/** One entity as the Merkle summary sees it: its bucket, id, content hash and whether it is deleted. */
public record MerkleEntry(int bucket, String id, String contentHash, boolean deleted) {}
