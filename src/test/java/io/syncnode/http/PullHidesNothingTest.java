package io.syncnode.http;

import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.vertx.junit5.Timeout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A pull hides no stored row: while writers keep rewriting a few hot ids, a fresh device's complete
 * pull (from the start, paging to the end) has every one of them, by cursor and by the legacy
 * since/offset loop. A hot id rewritten by a transaction above the watermark is stored all along,
 * so a pull that left it out would hide it.
 */
class PullHidesNothingTest extends NodeTestBase {
  private static final int HOT_IDS = 20;
  private static final int WRITERS = 6;
  private static final int PULLS = 16;
  private static final int REWRITES = 50;
  /**
   * How long each writer waits between its pushes. A complete pull ends only once its pages outrun
   * the rewrites that move hot ids ahead of it; a node whose pages wait for a standby's replay needs
   * the writers slower than one reading the primary.
   */
  protected static long writerPauseMs = 0;

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void everyHotIdIsInEveryCompletePull(VertxTestContext test) {
    String ns = unique("hot");
    List<String> hot = new ArrayList<>();
    for (int i = 0; i < HOT_IDS; i++) {
      hot.add(ns + "-id-" + i);
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger rewrites = new AtomicInteger();
    AtomicInteger pulls = new AtomicInteger();
    AtomicInteger pullsDuringWrites = new AtomicInteger();
    List<String> incomplete = new ArrayList<>();
    // every id exists before the readers start
    call("push", push("seed", ns, hot, 0)).compose(seeded -> {
      List<Future<Void>> all = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        all.add(writer("writer-" + w, ns, hot, w, writing, rewrites));
      }
      for (int r = 0; r < 4; r++) {
        all.add(reader(ns, hot, r % 2 == 0, writing, rewrites, pulls, pullsDuringWrites, incomplete));
      }
      // the writers write until the readers have made their complete pulls
      vertx.setTimer(60_000, t -> writing.set(false));
      return Future.all(all);
    }).onComplete(test.succeeding(done -> test.verify(() -> {
      assertThat(rewrites.get()).isGreaterThan(REWRITES);
      assertThat(pullsDuringWrites.get()).isGreaterThanOrEqualTo(PULLS);
      assertThat(incomplete).as(incomplete.size() + " of " + pulls.get() + " complete pulls lacked a hot id").isEmpty();
      test.completeNow();
    })));
  }

  private static JsonObject push(String device, String ns, List<String> ids, int n) {
    JsonArray memories = new JsonArray();
    for (String id : ids) {
      memories.add(Entities.memory(id, device + " " + n, clock(device, n + 1)).put("namespace_id", ns));
    }
    return Entities.push(device, memories, new JsonArray(), new JsonArray()).put("force", true);
  }

  /** Rewrites a few hot ids at a time, in a rotating order, until told to stop. */
  private static Future<Void> writer(String device, String ns, List<String> hot, int n, AtomicBoolean writing,
      AtomicInteger rewrites) {
    if (!writing.get()) {
      return Future.succeededFuture();
    }
    List<String> some = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      some.add(hot.get((n * 7 + i * 5) % hot.size()));
    }
    return call("push", push(device, ns, some, n)).compose(r -> {
      rewrites.addAndGet(some.size());
      if (writerPauseMs == 0) {
        return writer(device, ns, hot, n + 1, writing, rewrites);
      }
      return vertx.timer(writerPauseMs).compose(paused -> writer(device, ns, hot, n + 1, writing, rewrites));
    });
  }

  /** Fresh devices pull everything, small pages, one complete pull after the other. */
  private static Future<Void> reader(String ns, List<String> hot, boolean byCursor, AtomicBoolean writing,
      AtomicInteger rewrites, AtomicInteger pulls, AtomicInteger pullsDuringWrites, List<String> incomplete) {
    if (!writing.get()) {
      return Future.succeededFuture();
    }
    Set<String> seen = new HashSet<>();
    String device = unique("fresh");
    return pullAllPages(device, ns, byCursor, null, 0, seen).compose(done -> {
      if (writing.get()) {
        pullsDuringWrites.incrementAndGet();
      }
      // enough complete pulls made while enough rewrites overlapped them
      if (pulls.incrementAndGet() >= PULLS && rewrites.get() > REWRITES) {
        writing.set(false);
      }
      if (!seen.containsAll(hot)) {
        List<String> missing = new ArrayList<>(hot);
        missing.removeAll(seen);
        incomplete.add((byCursor ? "cursor" : "offset") + " pull lacked " + missing);
      }
      return reader(ns, hot, byCursor, writing, rewrites, pulls, pullsDuringWrites, incomplete);
    });
  }

  private static Future<Void> pullAllPages(String device, String ns, boolean byCursor, String cursor, long offset,
      Set<String> seen) {
    JsonObject body = new JsonObject().put("device_id", device).put("namespace_ids", new JsonArray().add(ns))
        .put("limit", 7);
    if (byCursor) {
      body.put("cursor", cursor);
    } else {
      body.put("offset", offset);
    }
    return call("pull", body).compose(page -> {
      page.getJsonArray("memories").forEach(m -> seen.add(((JsonObject) m).getString("id")));
      if (page.getBoolean("has_more")) {
        return pullAllPages(device, ns, byCursor, page.getString("cursor"), page.getLong("next_offset"), seen);
      }
      return Future.succeededFuture();
    });
  }
}
