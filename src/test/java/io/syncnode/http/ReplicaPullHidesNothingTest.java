package io.syncnode.http;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * PullHidesNothingTest's case with the node reading the feed from a hot standby whose commits arrive
 * late: a complete pull hides no stored row, as a read on the standby waits until it has replayed
 * what the primary's bound covers (see FeedWatermark).
 */
class ReplicaPullHidesNothingTest extends PullHidesNothingTest {
  /** Hides NodeTestBase's. */
  @BeforeAll
  static void startNode() throws Exception {
    // each page waits for the standby to replay up to its bound (commits arrive 30 ms late there)
    writerPauseMs = 150;
    startNodeReadingFromAStandby(Map.of());
  }

  /** Hides NodeTestBase's: checks that the standby served the feed, then stops everything. */
  @AfterAll
  static void stopNode() throws Exception {
    writerPauseMs = 0;
    stopNodeAndServers();
  }
}
