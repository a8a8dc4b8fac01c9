package io.syncnode.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Blocking waits for tests that drive nodes from the test thread (never from an event loop). */
public final class Await {
  private Await() {}

  /**
   * The next item of {@code queue} that {@code wanted} accepts, skipping the others; fails the test
   * if none arrives within {@code seconds}. {@code what} names an item in the failure.
   */
  public static <T> T next(BlockingQueue<T> queue, Predicate<T> wanted, long seconds, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      T item = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(item).as(what + " within " + seconds + " s").isNotNull();
      if (wanted.test(item)) {
        return item;
      }
    }
  }

  /** The future's result, waiting at most 60 s; its failure is thrown. */
  public static <T> T await(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }
}
