package io.syncnode.store;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes written into arrays of at most {@value #SEGMENT_BYTES} bytes, handed over as one buffer
 * over all of them. A page of 1,000 memories is about a megabyte of JSON: held in one array, it
 * would be a humongous object for G1 with a small heap (over half a 1 MB region), allocated
 * outside the young generation; once the old generation stands above G1's threshold, each such
 * allocation starts a collection and a concurrent cycle (seen under JFR: 40 of each in 10 s of
 * pulling). Segments this size stay in the young generation.
 */
final class SegmentedOutput extends OutputStream {
  static final int SEGMENT_BYTES = 64 * 1024;

  private final List<ByteBuf> full = new ArrayList<>();
  /** The bytes in the full segments. */
  private long fullBytes;
  private byte[] current;
  private int used;

  /** {@code expectedBytes}: a guess of the size, so that a small output takes one small array. */
  SegmentedOutput(long expectedBytes) {
    current = new byte[(int) Math.max(16, Math.min(SEGMENT_BYTES, expectedBytes))];
  }

  @Override
  public void write(int b) {
    if (used == current.length) {
      nextSegment(0);
    }
    current[used++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    if (length <= current.length - used) {
      // the usual case, kept short: a page's JSON is written in pieces of a few bytes
      System.arraycopy(bytes, offset, current, used, length);
      used += length;
      return;
    }
    while (length > 0) {
      if (used == current.length) {
        nextSegment(0);
      }
      int n = Math.min(length, current.length - used);
      System.arraycopy(bytes, offset, current, used, n);
      used += n;
      offset += n;
      length -= n;
    }
  }

  long size() {
    return fullBytes + used;
  }

  /**
   * The array to write the next {@code length} bytes into, from {@link #position()}, with room for
   * them all: a new segment when the current one has less left (one of {@code length} bytes when
   * that is more than a segment). A writer of many small pieces makes room once for several and
   * copies them in itself, then moves the position past them ({@link #advance}).
   */
  byte[] room(int length) {
    if (current.length - used < length) {
      nextSegment(length);
    }
    return current;
  }

  /** Where the next byte goes in the array of {@link #room}. */
  int position() {
    return used;
  }

  /** The bytes up to {@code position} of the array of {@link #room} are written. */
  void advance(int position) {
    used = position;
  }

  /** Everything written, as one buffer (over the segments, not copied). */
  Buffer toBuffer() {
    ByteBuf last = Unpooled.wrappedBuffer(current, 0, used);
    if (full.isEmpty()) {
      return BufferInternal.buffer(last);
    }
    List<ByteBuf> all = new ArrayList<>(full);
    all.add(last);
    return BufferInternal.buffer(Unpooled.wrappedBuffer(all.size(), all.toArray(ByteBuf[]::new)));
  }

  /** Starts a segment of at least {@code length} bytes (not less than {@value #SEGMENT_BYTES}). */
  private void nextSegment(int length) {
    if (used > 0) {
      full.add(Unpooled.wrappedBuffer(current, 0, used));
      fullBytes += used;
    }
    current = new byte[Math.max(SEGMENT_BYTES, length)];
    used = 0;
  }
}
