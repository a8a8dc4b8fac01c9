package io.syncnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeTestBase;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad requests: a 4xx JSON error naming the field, and not a byte stored. */
class BadInputTest extends NodeTestBase {
  private static final String GOOD_MEMORY =
      "{\"id\":\"m-good\",\"content\":\"fine\",\"vector_clock\":{\"dev\":1}}";

  private static String push(String memories) {
    return "{\"device_id\":\"dev\",\"memories\":[" + memories + "]}";
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("push", "{\"device_id\":\"dev\",\"memories\":[", 400, null),
        Arguments.of("push", "", 400, null),
        Arguments.of("push", "[1,2]", 400, null),
        Arguments.of("push", "{\"device_id\":\"dev\"} trailing", 400, null),
        Arguments.of("push", "{\"memories\":[]}", 422, "device_id"),
        Arguments.of("push", "{\"device_id\":\"dev\",\"memories\":{}}", 422, "memories"),
        Arguments.of("push", "{\"device_id\":42}", 422, "device_id"),
        Arguments.of("push", push(GOOD_MEMORY + ",{\"id\":\"m2\",\"vector_clock\":{}}"), 422, "memories[1].content"),
        Arguments.of("push", push("{\"content\":\"no id\"}"), 422, "memories[0].id"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"vector_clock\":{\"dev\":-1}}"), 422,
            "memories[0].vector_clock.dev"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"vector_clock\":{\"dev\":1.5}}"), 422,
            "memories[0].vector_clock.dev"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"vector_clock\":{\"dev\":\"3\"}}"), 422,
            "memories[0].vector_clock.dev"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"vector_clock\":{\"x\":9223372036854775808}}"),
            422, "memories[0].vector_clock.x"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"updated_at\":\"yesterday\"}"), 422,
            "memories[0].updated_at"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"created_at\":\"10000-01-01T00:00:00\"}"), 422,
            "memories[0].created_at"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\\u0000\"}"), 422, "memories[0].content"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"metadata\":{\"k\":\"\\u0000\"}}"), 422,
            "memories[0].metadata"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"metadata\":[1]}"), 422, "memories[0].metadata"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"tags\":[\"a\",null]}"), 422,
            "memories[0].tags[1]"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"embedding\":[1e39]}"), 422,
            "memories[0].embedding[0]"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"encrypted\":\"yes\"}"), 422,
            "memories[0].encrypted"),
        Arguments.of("push", push("{\"id\":\"m\",\"content\":\"c\",\"id\":\"again\"}"), 400, null),
        Arguments.of("push", push(GOOD_MEMORY) .replace("]}", "],\"sessions\":[{\"id\":\"s\",\"started_at\":3}]}"),
            422, "sessions[0].started_at"),
        Arguments.of("push", push(GOOD_MEMORY).replace("]}", "],\"edges\":[{\"from_id\":\"a\",\"to_id\":\"b\"}]}"),
            422, "edges[0].relation"),
        Arguments.of("push", push(GOOD_MEMORY).replace("]}", "],\"edges\":[{\"from_id\":\"a\",\"to_id\":\"b\","
            + "\"relation\":\"r\",\"weight\":\"heavy\"}]}"), 422, "edges[0].weight"),
        Arguments.of("pull", "{\"device_id\":\"dev\",\"limit\":0}", 422, "limit"),
        Arguments.of("pull", "{\"device_id\":\"dev\",\"limit\":10001}", 422, "limit"),
        Arguments.of("pull", "{\"device_id\":\"dev\",\"limit\":\"ten\"}", 422, "limit"),
        Arguments.of("pull", "{\"device_id\":\"dev\",\"offset\":-1}", 422, "offset"),
        Arguments.of("pull", "{\"device_id\":\"dev\",\"offset\":1.5}", 422, "offset"),
        Arguments.of("pull", "{\"device_id\":\"dev\",\"since_timestamp\":\"2025-13-45T00:00:00\"}", 422,
            "since_timestamp"),
        Arguments.of("pull", "{\"device_id\":\"dev\",\"namespace_ids\":\"global\"}", 422, "namespace_ids"),
        Arguments.of("register", "{\"device_id\":\"dev\",\"platform\":\"linux\",\"client_version\":\"1\"}", 422,
            "device_name"),
        Arguments.of("register", "{\"device_id\":\"\",\"device_name\":\"n\",\"platform\":\"linux\","
            + "\"client_version\":\"1\"}", 422, "device_id"),
        Arguments.of("status", "{}", 422, "device_id"),
        Arguments.of("diff", "{\"device_id\":\"dev\",\"memories\":[{\"content_hash\":\"x\"}]}", 422, "memories[0].id"),
        Arguments.of("diff", "{\"device_id\":\"dev\",\"sessions\":[{\"id\":\"s\",\"updated_at\":\"soon\"}]}", 422,
            "sessions[0].updated_at"));
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  void refusedWithTheFieldNamedAndNothingStored(String endpoint, String body, int status, String field,
      VertxTestContext test) {
    expectRefused(node.postRaw("/api/sync/" + endpoint, body, "application/json"), status, field, test);
  }

  private static void expectRefused(Future<HttpResponse<Buffer>> request, int status, String field,
      VertxTestContext test) {
    TestDatabase.fingerprint(node.inspect)
        .compose(before -> request.compose(response -> TestDatabase.fingerprint(node.inspect).map(after -> {
          assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
          assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
          JsonObject error = response.bodyAsJsonObject();
          assertThat(error.fieldNames()).containsExactlyInAnyOrder("error", "detail", "field");
          assertThat(error.getString("field")).isEqualTo(field);
          assertThat(error.getString("detail")).isNotBlank();
          if (field != null) {
            assertThat(error.getString("detail")).startsWith(field + ": ");
          }
          assertThat(error.getString("detail")).doesNotContain("Exception").doesNotContain("\tat ");
          assertThat(after).as("stored state").isEqualTo(before);
          return response;
        })))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aBodyThatIsNotDeclaredAsJsonIsRefused(VertxTestContext test) {
    expectRefused(node.postRaw("/api/sync/push", push(GOOD_MEMORY), "text/plain"), 415, null, test);
  }

  private static Buffer gzip(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
      gzip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** http.decompression is off by default: contextfs clients do not compress, and inflating costs the node. */
  @Test
  void compressedBodiesAreRefusedByDefault(VertxTestContext test) {
    expectRefused(node.client.post("/api/sync/push").putHeader("Content-Type", "application/json")
        .putHeader("Content-Encoding", "gzip").sendBuffer(gzip(push(GOOD_MEMORY))), 415, null, test);
  }

  @Test
  void anUnknownContentEncodingIsRefused(Vertx other, VertxTestContext test) {
    TestNode.start(other, db, Map.of("SYNCNODE_HTTP_DECOMPRESSION", "true"))
        .compose(inflating -> inflating.client.post("/api/sync/status").putHeader("Content-Type", "application/json")
            .putHeader("Content-Encoding", "br").sendBuffer(Buffer.buffer("{\"device_id\":\"dev\"}"))
            .eventually(() -> inflating.stop()))
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(415);
          assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unsupported_media_type");
          test.completeNow();
        })));
  }

  @Test
  void gzipBodiesAreReadWithDecompressionOn(Vertx other, VertxTestContext test) {
    String memory = "{\"id\":\"m-gzip\",\"content\":\"inflated\",\"vector_clock\":{\"dev\":1}}";
    TestNode.start(other, db, Map.of("SYNCNODE_HTTP_DECOMPRESSION", "true"))
        .compose(inflating -> inflating.client.post("/api/sync/push").putHeader("Content-Type", "application/json")
            .putHeader("Content-Encoding", "gzip").sendBuffer(gzip(push(memory)))
            .eventually(() -> inflating.stop()))
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject().getInteger("accepted_memories")).isEqualTo(1);
          test.completeNow();
        })));
  }

  @Test
  void anUnregisteredDeviceHasNoStatus(VertxTestContext test) {
    TestDatabase.fingerprint(node.inspect)
        .compose(before -> node.post("/api/sync/status", new JsonObject().put("device_id", unique("ghost")))
            .map(response -> {
              assertThat(response.statusCode()).isEqualTo(404);
              assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("device_not_registered");
              assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("device_id");
              return response;
            }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void unknownRoutesAndMethodsAreAnsweredInJsonAndA405SaysWhatIsAllowed(VertxTestContext test) {
    node.client.get("/api/sync/nothing-here").send()
        .compose(notFound -> {
          assertThat(notFound.statusCode()).isEqualTo(404);
          assertThat(notFound.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
          return node.client.request(HttpMethod.GET, "/api/sync/push").send();
        })
        .compose(wrongMethod -> {
          assertThat(wrongMethod.statusCode()).isEqualTo(405);
          assertThat(wrongMethod.getHeader("Allow")).isEqualTo("POST");
          assertThat(wrongMethod.getHeader("Content-Type")).isEqualTo("application/json");
          assertThat(wrongMethod.bodyAsJsonObject().getString("error")).isEqualTo("method_not_allowed");
          return node.client.request(HttpMethod.POST, "/health").send();
        })
        .onComplete(test.succeeding(postHealth -> test.verify(() -> {
          assertThat(postHealth.statusCode()).isEqualTo(405);
          assertThat(postHealth.getHeader("Allow")).isEqualTo("GET");
          assertThat(postHealth.bodyAsJsonObject().getString("error")).isEqualTo("method_not_allowed");
          test.completeNow();
        })));
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413(Vertx other, VertxTestContext test) {
    String big = push("{\"id\":\"m-big\",\"content\":\"" + "x".repeat(8_000) + "\"}");
    TestNode.start(other, db, Map.of("SYNCNODE_HTTP_MAXBODYBYTES", "4096"))
        .compose(small -> TestDatabase.fingerprint(small.inspect)
            .compose(before -> small.postRaw("/api/sync/push", big, "application/json")
                .compose(response -> TestDatabase.fingerprint(small.inspect).map(after -> {
                  assertThat(response.statusCode()).isEqualTo(413);
                  assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("payload_too_large");
                  assertThat(after).isEqualTo(before);
                  return response;
                })))
            .eventually(() -> small.stop()))
        .onComplete(test.succeedingThenComplete());
  }
}
