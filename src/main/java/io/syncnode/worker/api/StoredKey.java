package io.syncnode.worker.api;

/** A stored key: whose it is, the hash of its secret, and whether it was revoked. */
public record StoredKey(String tenant, byte[] secretHash, boolean revoked) {}
