package io.syncnode.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeedCutTest {
  @Test
  void aFullPageEndsAtItsLastChangeAndTheNextStartsRightAfter() {
    FeedCut cut = FeedCut.of(new long[] {11, 12, 20, 31}, 3, 10, 100);
    assertThat(cut).isEqualTo(new FeedCut(true, 20, 20));
    assertThat(cut.size(new long[] {11, 12, 20, 31}, 3)).isEqualTo(3);
  }

  @Test
  void theLastPageMovesTheCursorToJustBelowTheBound() {
    FeedCut cut = FeedCut.of(new long[] {11, 12}, 3, 10, 100);
    assertThat(cut).isEqualTo(new FeedCut(false, 12, 99));
    assertThat(cut.size(new long[] {11, 12}, 3)).isEqualTo(2);
  }

  @Test
  void anEmptyWindowEndsWhereItStartedAndDrainsToTheBound() {
    assertThat(FeedCut.of(new long[0], 1000, 10, 100)).isEqualTo(new FeedCut(false, 10, 99));
  }

  @Test
  void aCursorAlreadyAtTheBoundStaysThere() {
    assertThat(FeedCut.of(new long[0], 1000, 120, 100)).isEqualTo(new FeedCut(false, 120, 120));
  }

  @Test
  void exactlyLimitChangesAreTheLastPage() {
    assertThat(FeedCut.of(new long[] {11, 12, 13}, 3, 10, 100)).isEqualTo(new FeedCut(false, 13, 99));
  }
}
