package io.syncnode.cluster;

import io.vertx.core.Future;
import java.util.List;

/**
 * Mutual exclusion over lock stripes, owned by a token (not a thread): a batch claims all its
 * stripes or none, waits without holding anything, and gives up after the configured timeout
 * with a {@link LockTimeoutException}.
 */
public interface StripeLocks {
  /** The stripes a caller holds, and the token that proves it. */
  record Lease(String token, List<String> keys) {}

  /** Claims every key of {@code keys} (sorted, distinct) or fails with LockTimeoutException. */
  Future<Lease> acquire(List<String> keys);

  /** Frees the lease's stripes; stripes since claimed by someone else are left alone. */
  Future<Void> release(Lease lease);
}
