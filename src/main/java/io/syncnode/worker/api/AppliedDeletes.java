package io.syncnode.worker.api;

import java.util.List;

/**
 * What a diff manifest's tombstones did to one type: the ids that became tombstones (with the
 * change positions they took) and the ids left alive because the device had not seen their stored
 * version.
 */
public record AppliedDeletes(List<String> applied, long[] positions, List<String> refused) {
  public static final AppliedDeletes NONE = new AppliedDeletes(List.of(), new long[0], List.of());
}
