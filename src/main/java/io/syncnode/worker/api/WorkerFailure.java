package io.syncnode.worker.api;

/**
 * A worker could not answer: {@code unavailable} when retrying later can succeed (the database or a
 * lock is out of reach, the worker did not answer in time), otherwise an internal failure, logged
 * by the worker. The message is safe to show a client.
 */
public final class WorkerFailure extends RuntimeException {
  /** The failure code of a worker's reply that says a retry can succeed; any other code is internal. */
  public static final int UNAVAILABLE_CODE = 503;

  private final boolean unavailable;

  WorkerFailure(boolean unavailable, String message) {
    super(message, null, false, false);
    this.unavailable = unavailable;
  }

  public boolean unavailable() {
    return unavailable;
  }
}
