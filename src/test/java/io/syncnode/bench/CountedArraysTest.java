package io.syncnode.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CountedArraysTest {
  private static String counted(String json) {
    return new String(CountedArrays.of(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void eachTopLevelArrayBecomesItsElementCount() {
    assertThat(counted("{\"memories\": [{\"id\":\"a\",\"tags\":[\"x\",\"y\"]}, {\"id\":\"b\"}], \"has_more\":true}"))
        .isEqualTo("{\"memories\": 2, \"has_more\":true}");
    assertThat(counted("{\"a\":[],\"b\":[ ],\"c\":[[]],\"d\":[null,1,\"s\"]}")).isEqualTo("{\"a\":0,\"b\":0,\"c\":1,\"d\":3}");
  }

  @Test
  void bracketsCommasAndQuotesInsideStringsAreText() {
    assertThat(counted("{\"memories\":[{\"content\":\"[a, b] {c} \\\"q\\\", \\\\\"},\"x]\"],\"k\":\"[1,2]\"}"))
        .isEqualTo("{\"memories\":2,\"k\":\"[1,2]\"}");
  }

  @Test
  void aPulledPageIsCountedAsTheParsedOneWouldBe() {
    JsonArray memories = new JsonArray();
    for (int i = 0; i < 300; i++) {
      memories.add(new JsonObject().put("id", "m-" + i).put("content", "text, with [brackets] and \"quotes\" " + i)
          .put("tags", new JsonArray().add("t,1").add("t]2")).put("metadata", new JsonObject().put("k", "{")));
    }
    JsonObject page = new JsonObject().put("success", true).put("memories", memories).put("sessions", new JsonArray())
        .put("edges", new JsonArray()).put("server_timestamp", "2026-12-02T10:00:00.000001Z").put("has_more", true)
        .put("next_offset", 123456789012L).put("cursor", "c-1");
    ResponseSummary summary = ResponseSummary.of(Buffer.buffer(page.encode()));
    assertThat(summary.memories()).isEqualTo(300);
    assertThat(summary.hasMore()).isTrue();
    assertThat(summary.nextOffset()).isEqualTo(123456789012L);
    assertThat(summary.cursor()).isEqualTo("c-1");
    assertThat(summary.serverTimestamp()).isEqualTo("2026-12-02T10:00:00.000001Z");
  }

  @Test
  void anAnswerFedInChunksOfEverySizeIsCountedAsAWholeOne() {
    String json = "{\"memories\":[{\"content\":\"[a, b] {c} \\\"q\\\", \\\\\",\"tags\":[\"x\",\"y\"]},\"x]\",[]],"
        + "\"sessions\":[],\"edges\":[ ],\"k\":\"[1,2]\",\"has_more\":false}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    String whole = counted(json);
    assertThat(whole).isEqualTo("{\"memories\":3,\"sessions\":0,\"edges\":0,\"k\":\"[1,2]\",\"has_more\":false}");
    for (int size = 1; size <= bytes.length; size++) {
      CountedArrays chunked = new CountedArrays();
      for (int from = 0; from < bytes.length; from += size) {
        chunked.feed(Buffer.buffer(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size))));
        chunked.feed(Buffer.buffer());
      }
      assertThat(new String(chunked.end(), StandardCharsets.UTF_8)).as("chunks of %d bytes", size).isEqualTo(whole);
    }
  }

  @Test
  void chunksThatAreSlicesOfALargerArrayOrDirectMemoryAreReadWithinTheirBounds() {
    String json = "{\"memories\":[{\"id\":\"a\",\"tags\":[\"x\"]},{\"id\":\"b]\"}],\"has_more\":true}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    int half = bytes.length / 2;
    // each chunk lies inside an array whose other bytes would unbalance the count if they were read
    byte[] noise = "]]]\"[[[".getBytes(StandardCharsets.UTF_8);
    CountedArrays sliced = new CountedArrays();
    for (byte[] part : new byte[][] {Arrays.copyOfRange(bytes, 0, half), Arrays.copyOfRange(bytes, half, bytes.length)}) {
      ByteBuf inside = Unpooled.wrappedBuffer(concat(noise, part, noise)).slice(noise.length, part.length);
      assertThat(inside.arrayOffset() + inside.readerIndex()).isEqualTo(noise.length);
      sliced.feed(BufferInternal.buffer(inside));
    }
    assertThat(new String(sliced.end(), StandardCharsets.UTF_8)).isEqualTo("{\"memories\":2,\"has_more\":true}");

    CountedArrays direct = new CountedArrays();
    ByteBuf off = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    assertThat(off.hasArray()).isFalse();
    direct.feed(BufferInternal.buffer(off));
    assertThat(new String(direct.end(), StandardCharsets.UTF_8)).isEqualTo("{\"memories\":2,\"has_more\":true}");
    off.release();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }

  @Test
  void aTruncatedAnswerIsRefused() {
    assertThatThrownBy(() -> CountedArrays.of("{\"memories\":[{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CountedArrays.of("{\"cursor\":\"c-1".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
