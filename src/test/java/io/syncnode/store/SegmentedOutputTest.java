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
