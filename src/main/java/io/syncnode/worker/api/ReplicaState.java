package io.syncnode.worker.api;

/** What /ready says of a replica: its lag in milliseconds (-1 unknown), and why it serves no reads if it does not. */
public record ReplicaState(String address, long lagMs, String problem) {}
