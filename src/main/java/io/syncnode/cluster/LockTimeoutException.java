package io.syncnode.cluster;

/** The stripes of a batch could not all be claimed within locks.timeoutMs. */
public final class LockTimeoutException extends RuntimeException {
  public LockTimeoutException(int stripes, long timeoutMs) {
    super("could not lock " + stripes + " stripes within " + timeoutMs + " ms", null, false, false);
  }
}
