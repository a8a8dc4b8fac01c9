package io.syncnode.store;

import io.syncnode.protocol.SyncEntity;
import io.syncnode.resolve.BatchResolution;
import io.syncnode.worker.api.ChangeOp;
import java.time.Instant;
import java.util.List;

/**
 * A committed push batch: its verdicts, the ids it wrote with the change positions they took and
 * what the write did to each, and whether it recorded the device's push (then {@code pulledUpTo}
 * is the feed time the device has pulled up to, null if it never pulled).
 */
public record StoredBatch<E extends SyncEntity>(BatchResolution<E> resolution, List<String> ids, long[] positions,
    List<ChangeOp> ops, boolean recordedPush, Instant pulledUpTo) {}
