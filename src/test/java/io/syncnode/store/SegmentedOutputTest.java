package io.syncnode.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What is written comes back byte for byte, whichever way it was written across the segments'
 * ends, and a large output is held in segments, none of them a humongous object.
 */
class SegmentedOutputTest {
  @Test
  void writesAcrossSegmentsComeBackInOrder() {
    Random random = new Random(20261203);
    for (long expected : new long[] {0, 100, SegmentedOutput.SEGMENT_BYTES, 10L * SegmentedOutput.SEGMENT_BYTES}) {
      SegmentedOutput out = new SegmentedOutput(expected);
      ByteArrayOutputStream same = new ByteArrayOutputStream();
      for (int i = 0; i < 400; i++) {
        if (random.nextInt(4) == 0) {
          int b = random.nextInt(256);
          out.write(b);
          same.write(b);
        } else {
          byte[] bytes = new byte[random.nextInt(3 * SegmentedOutput.SEGMENT_BYTES / 100)];
          random.nextBytes(bytes);
          int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
          out.write(bytes, offset, bytes.length - offset);
          same.write(bytes, offset, bytes.length - offset);
        }
      }
      Buffer buffer = out.toBuffer();
      assertThat(out.size()).isEqualTo(same.size());
      assertThat(buffer.length()).isEqualTo(same.size());
      assertThat(buffer.getBytes()).as("expected " + expected).isEqualTo(same.toByteArray());
    }
  }

  @Test
  void piecesCopiedIntoTheirRoomComeBackInOrderWithTheWrittenOnes() {
    Random random = new Random(20261205);
    SegmentedOutput out = new SegmentedOutput(100);
    ByteArrayOutputStream same = new ByteArrayOutputStream();
    for (int i = 0; i < 400; i++) {
      // now and then a piece larger than a segment
      int length = random.nextInt(20) == 0 ? SegmentedOutput.SEGMENT_BYTES + random.nextInt(1000) : random.nextInt(2000);
      byte[] piece = new byte[length];
      random.nextBytes(piece);
      if (random.nextBoolean()) {
        byte[] room = out.room(length);
        int at = out.position();
        assertThat(room.length - at).isGreaterThanOrEqualTo(length);
        System.arraycopy(piece, 0, room, at, length);
        out.advance(at + length);
      } else {
        out.write(piece, 0, length);
      }
      same.write(piece, 0, length);
    }
    assertThat(out.size()).isEqualTo(same.size());
    assertThat(out.toBuffer().getBytes()).isEqualTo(same.toByteArray());
  }

  @Test
  void roomForNothingAtTheStartLeavesNoEmptySegment() {
    SegmentedOutput out = new SegmentedOutput(16);
    out.room(SegmentedOutput.SEGMENT_BYTES * 2);
    out.advance(3);
    ByteBuf held = ((BufferInternal) out.toBuffer()).getByteBuf();
    assertThat(held.readableBytes()).isEqualTo(3);
    assertThat(held.nioBufferCount()).isEqualTo(1);
  }

  @Test
  void nothingWrittenIsAnEmptyBuffer() {
    assertThat(new SegmentedOutput(1000).toBuffer().length()).isZero();
  }

  @Test
  void aMegabyteIsHeldInSegmentsOfAtMost64KiB() {
    SegmentedOutput out = new SegmentedOutput(1 << 20);
    byte[] row = new byte[900];
    for (int i = 0; i < 1200; i++) {
      out.write(row, 0, row.length);
    }
    ByteBuf held = ((BufferInternal) out.toBuffer()).getByteBuf();
    assertThat(held.readableBytes()).isEqualTo(1200 * 900);
    assertThat(held.nioBufferCount()).isEqualTo((1200 * 900 + SegmentedOutput.SEGMENT_BYTES - 1) / SegmentedOutput.SEGMENT_BYTES);
    for (ByteBuffer segment : held.nioBuffers()) {
      assertThat(segment.capacity()).isLessThanOrEqualTo(SegmentedOutput.SEGMENT_BYTES);
    }
  }
}
