package io.syncnode.store;

import io.syncnode.protocol.SyncEntity;
import io.syncnode.resolve.BatchResolution;
import java.util.List;

/**
 * A committed push batch: its verdicts, and the ids it wrote with the change positions they took
 * and what the write did to each.
 */
public record StoredBatch<E extends SyncEntity>(
    BatchResolution<E> resolution, List<String> ids, long[] positions, List<ChangeOp> ops) {}
