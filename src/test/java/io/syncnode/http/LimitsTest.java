package io.syncnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every configured limit answered with its 4xx and nothing stored; the rate limit; CORS. */
@ExtendWith(VertxExtension.class)
class LimitsTest {
  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(LimitsTest.class);
    vertx = Vertx.vertx();
    node = TestNode.startAndWait(vertx, db, Map.ofEntries(
        Map.entry("SYNCNODE_LIMITS_ITEMSPERPUSH", "3"),
        Map.entry("SYNCNODE_LIMITS_MANIFESTENTRIES", "3"),
        Map.entry("SYNCNODE_LIMITS_EMBEDDINGLENGTH", "4"),
        Map.entry("SYNCNODE_LIMITS_METADATADEPTH", "3"),
        Map.entry("SYNCNODE_LIMITS_METADATACHARS", "64"),
        Map.entry("SYNCNODE_LIMITS_CONTENTCHARS", "10"),
        Map.entry("SYNCNODE_LIMITS_TEXTCHARS", "12"),
        Map.entry("SYNCNODE_LIMITS_CLOCKENTRIES", "2"),
        Map.entry("SYNCNODE_LIMITS_IDBYTES", "16"),
        Map.entry("SYNCNODE_LIMITS_MAXPULLLIMIT", "5"),
        Map.entry("SYNCNODE_HTTP_CORS_ALLOWEDORIGINS", "https://app.example")));
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  private static String memory(String fields) {
    return "{\"device_id\":\"d\",\"memories\":[{\"id\":\"m\",\"content\":\"c\"" + fields + "}]}";
  }

  static Stream<Arguments> overLimits() {
    return Stream.of(
        Arguments.of("diff", "{\"device_id\":\"d\",\"memories\":[{\"id\":\"1\"},{\"id\":\"2\"},{\"id\":\"3\"},{\"id\":\"4\"}]}",
            "memories"),
        Arguments.of("register", "{\"device_id\":\"" + "d".repeat(17) + "\",\"device_name\":\"n\",\"platform\":\"p\","
            + "\"client_version\":\"1\"}", "device_id"),
        Arguments.of("push", "{\"device_id\":\"" + "d".repeat(17) + "\"}", "device_id"),
        Arguments.of("pull", "{\"device_id\":\"d\",\"limit\":6}", "limit"));
  }

  @ParameterizedTest
  @MethodSource("overLimits")
  void overTheLimitIsRefusedWithNothingStored(String endpoint, String body, String field, VertxTestContext test) {
    TestDatabase.fingerprint(node.inspect)
        .compose(before -> node.postRaw("/api/sync/" + endpoint, body, "application/json")
            .compose(response -> TestDatabase.fingerprint(node.inspect).map(after -> {
              assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(422);
              assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo(field);
              assertThat(after).isEqualTo(before);
              return after;
            })))
        .onComplete(test.succeedingThenComplete());
  }

  static Stream<Arguments> entitiesOverLimits() {
    return Stream.of(
        Arguments.of(memory(",\"embedding\":[1,2,3,4,5]"), "memories[0].embedding"),
        Arguments.of(memory(",\"metadata\":{\"a\":{\"b\":{\"c\":{}}}}"), "memories[0].metadata"),
        Arguments.of(memory(",\"metadata\":{\"a\":\"" + "x".repeat(70) + "\"}"), "memories[0].metadata"),
        Arguments.of("{\"device_id\":\"d\",\"memories\":[{\"id\":\"m\",\"content\":\"" + "x".repeat(11) + "\"}]}",
            "memories[0].content"),
        Arguments.of(memory(",\"summary\":\"" + "x".repeat(13) + "\""), "memories[0].summary"),
        Arguments.of(memory(",\"vector_clock\":{\"a\":1,\"b\":1,\"c\":1}"), "memories[0].vector_clock.c"),
        Arguments.of(memory(",\"vector_clock\":{\"d\":9223372036854775807}"), "memories[0].vector_clock.d"),
        Arguments.of("{\"device_id\":\"d\",\"memories\":[{\"id\":\"" + "i".repeat(17) + "\",\"content\":\"c\"}]}",
            "memories[0].id"));
  }

  /** An entity over a per-item limit is rejected alone, reported with its field; nothing of it is stored. */
  @ParameterizedTest
  @MethodSource("entitiesOverLimits")
  void anEntityOverALimitIsRejectedAlone(String body, String field, VertxTestContext test) {
    memories()
        .compose(before -> node.postRaw("/api/sync/push", body, "application/json")
            .compose(response -> memories().map(after -> {
              assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
              io.vertx.core.json.JsonObject answer = response.bodyAsJsonObject();
              assertThat(answer.getInteger("rejected")).isEqualTo(1);
              assertThat(answer.getInteger("rejected_memories")).isEqualTo(1);
              assertThat(answer.getJsonArray("rejected_items")).hasSize(1);
              assertThat(answer.getJsonArray("rejected_items").getJsonObject(0).getString("field")).isEqualTo(field);
              assertThat(answer.getJsonArray("rejected_items").getJsonObject(0).getString("type")).isEqualTo("memory");
              assertThat(after).isEqualTo(before);
              return after;
            })))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void morePushedEntitiesThanItemsPerPushAreStoredInChunks(VertxTestContext test) {
    StringBuilder memories = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      memories.append(i == 0 ? "" : ",").append("{\"id\":\"chunked-").append(i).append("\",\"content\":\"c\"}");
    }
    node.postRaw("/api/sync/push", "{\"device_id\":\"d\",\"memories\":[" + memories + "]}", "application/json")
        .compose(response -> node.inspect.query("SELECT count(*) FROM memories WHERE id LIKE 'chunked-%'").execute()
            .map(rows -> {
              assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
              assertThat(response.bodyAsJsonObject().getInteger("accepted_memories")).isEqualTo(7);
              assertThat(rows.iterator().next().getLong(0)).isEqualTo(7L);
              return rows;
            }))
        .onComplete(test.succeedingThenComplete());
  }

  private static Future<String> memories() {
    return node.inspect.query("SELECT count(*) || ':' || coalesce(string_agg(id, ',' ORDER BY id), '') FROM memories")
        .execute().map(rows -> rows.iterator().next().getString(0));
  }

  @Test
  void tooManyRequestsAreAnswered429WithRetryAfter(Vertx other, VertxTestContext test) {
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    TestNode.start(other, db, Map.of("SYNCNODE_AUTH_RATELIMIT", "1", "SYNCNODE_AUTH_RATEBURST", "200"))
        .compose(limited -> {
          for (int i = 0; i < 260; i++) {
            burst.add(limited.postRaw("/api/sync/pull", "{\"device_id\":\"d\",\"limit\":1}", "application/json"));
          }
          return Future.all(burst).eventually(limited::stop);
        })
        .onComplete(test.succeeding(all -> test.verify(() -> {
      long ok = burst.stream().filter(r -> r.result().statusCode() == 200).count();
      List<HttpResponse<Buffer>> limited = burst.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
      assertThat(ok + limited.size()).isEqualTo(260);
      assertThat(ok).as("the burst, and one more per second the requests took").isBetween(200L, 230L);
      assertThat(limited).isNotEmpty();
      assertThat(limited.get(0).getHeader("Retry-After")).isEqualTo("1");
      assertThat(limited.get(0).bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
      test.completeNow();
    })));
  }

  @Test
  void corsAnswersTheConfiguredOriginOnly(VertxTestContext test) {
    node.client.request(HttpMethod.OPTIONS, "/api/sync/pull").putHeader("Origin", "https://app.example")
        .putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "content-type,x-api-key").send()
        .compose(preflight -> {
          assertThat(preflight.statusCode()).isBetween(200, 204);
          assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
          return node.client.get("/health").putHeader("Origin", "https://evil.example").send();
        })
        .onComplete(test.succeeding(other -> test.verify(() -> {
          assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
          test.completeNow();
        })));
  }
}
