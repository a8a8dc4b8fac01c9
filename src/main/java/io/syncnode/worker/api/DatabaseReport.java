package io.syncnode.worker.api;

import java.util.List;

/**
 * The outcome of the database check: whether the schema is at this node's version, the primary
 * written to ({@code problem} null while it is known to be one), and the state of each replica.
 */
public record DatabaseReport(boolean schemaCurrent, String primary, String problem, List<ReplicaState> replicas) {}
