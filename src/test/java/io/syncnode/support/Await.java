package io.syncnode.support;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Blocking waits for tests that drive nodes from the test thread (never from an event loop). */
public final class Await {
  private Await() {}

  /** The future's result, waiting at most 60 s; its failure is thrown. */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
