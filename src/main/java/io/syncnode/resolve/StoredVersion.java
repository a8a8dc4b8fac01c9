package io.syncnode.resolve;

import io.syncnode.protocol.VectorClock;
import java.time.Instant;

/** What the resolver needs to know of a stored entity: its clock, and what a conflict reports of it. */
public record StoredVersion(VectorClock clock, String conflictContent, Instant updatedAt) {}
