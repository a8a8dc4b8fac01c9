package io.syncnode.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeTestBase;
import io.syncnode.support.ProtocolExamples;
import io.syncnode.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed or mutated requests to every endpoint, from a seeded generator: each is
 * answered with a 4xx JSON error, nothing is stored, and the node stays healthy. The seed is
 * printed; {@code -Dsyncnode.fuzz.seed=N} replays a run.
 */
class FuzzTest extends NodeTestBase {
  private static final int REQUESTS = 6_000;
  private static final int IN_FLIGHT = 16;
  private static final String[] ENDPOINTS = {"register", "push", "pull", "status", "diff", "merkle"};

  /** A request to send: endpoint, raw body bytes, content type. */
  private record Attempt(String endpoint, byte[] body, String contentType, String mutation) {}

  private static JsonObject base(String endpoint) throws IOException {
    if (endpoint.equals("merkle")) {
      return new JsonObject().put("device_id", "fuzz").put("buckets", new JsonArray().add(1).add(2));
    }
    return new JsonObject(ProtocolExamples.text(endpoint));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A request that the protocol does not allow, built from a valid one. */
  private static Attempt mutate(Random random, String endpoint, JsonObject valid) {
    String body = valid.encode();
    int kind = random.nextInt(10);
    switch (kind) {
      case 0 -> {
        return new Attempt(endpoint, utf8(body.substring(0, 1 + random.nextInt(body.length() - 1))), "application/json",
            "truncated");
      }
      case 1 -> {
        byte[] bytes = utf8(body);
        int at = 1 + random.nextInt(bytes.length - 2);
        byte[] bad = random.nextBoolean() ? new byte[] {(byte) 0xff} : new byte[] {(byte) 0xc3, (byte) 0x28};
        byte[] out = new byte[bytes.length + bad.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(bytes, at, out, at + bad.length, bytes.length - at);
        return new Attempt(endpoint, out, "application/json", "invalid utf-8");
      }
      case 2 -> {
        Object[] wrong = {42, 1.5, true, new JsonArray().add(1), new JsonObject().put("x", 1), null, ""};
        JsonObject copy = valid.copy().put("device_id", wrong[random.nextInt(wrong.length)]);
        return new Attempt(endpoint, utf8(copy.encode()), "application/json", "wrong device_id");
      }
      case 3 -> {
        String[] huge = {"1e400", "-1", "1.5", "99999999999999999999999999", "-9223372036854775809", "\"7\""};
        String number = huge[random.nextInt(huge.length)];
        String mutated = switch (endpoint) {
          case "push" -> body.replaceFirst("\"laptop-0a1b2c3d4e5f\":3", "\"laptop-0a1b2c3d4e5f\":" + number);
          case "pull" -> body.replaceFirst("\"limit\":500", "\"limit\":" + number);
          case "merkle" -> body.replaceFirst("\\[1,2]", "[1," + number + "]");
          default -> body.replaceFirst("\\{", "{\"device_id\":" + number + ",");
        };
        return new Attempt(endpoint, utf8(mutated), "application/json", "bad number");
      }
      case 4 -> {
        int depth = 101 + random.nextInt(400);
        String nested = "[".repeat(depth) + "]".repeat(depth);
        return new Attempt(endpoint, utf8(body.replaceFirst("\\{", "{\"deep\":" + nested + ",")), "application/json",
            "deep nesting");
      }
      case 5 -> {
        return new Attempt(endpoint, utf8(body.replaceFirst("\\{", "{\"device_id\":\"twice\",")), "application/json",
            "duplicate key");
      }
      case 6 -> {
        String[] types = {"text/plain", "application/xml", "application/x-www-form-urlencoded", "text/html"};
        return new Attempt(endpoint, utf8(body), types[random.nextInt(types.length)], "content type");
      }
      case 7 -> {
        String[] notObjects = {"[]", "null", "42", "\"text\"", "true", "", "   ", "{", "}", "{]"};
        return new Attempt(endpoint, utf8(notObjects[random.nextInt(notObjects.length)]), "application/json",
            "not an object");
      }
      case 8 -> {
        // JSON escapes, as a client would send them: NUL and unpaired surrogates
        String[] bad = {"a\\u0000b", "\\ud800", "x\\udc00y"};
        String mutated = body.replaceFirst("\"device_id\":\"[^\"]*\"",
            java.util.regex.Matcher.quoteReplacement("\"device_id\":\"" + bad[random.nextInt(bad.length)] + "\""));
        return new Attempt(endpoint, utf8(mutated), "application/json", "unstorable text");
      }
      default -> {
        return new Attempt(endpoint, utf8(body.replaceFirst("\"device_id\"", "\"device_id_\"")), "application/json",
            "missing device_id");
      }
    }
  }

  @Test
  void malformedRequestsGetA4xxAndStoreNothing(VertxTestContext test) throws IOException {
    long seed = Long.getLong("syncnode.fuzz.seed", 20261128L);
    Random random = new Random(seed);
    Map<String, JsonObject> valid = new TreeMap<>();
    for (String endpoint : ENDPOINTS) {
      valid.put(endpoint, base(endpoint));
    }
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      String endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
      attempts.add(mutate(random, endpoint, valid.get(endpoint)));
    }
    AtomicInteger next = new AtomicInteger();
    Map<Integer, Integer> statuses = new TreeMap<>();
    TestDatabase.fingerprint(node.inspect)
        .compose(before -> {
          List<Future<Void>> senders = new ArrayList<>();
          for (int s = 0; s < IN_FLIGHT; s++) {
            senders.add(send(attempts, next, statuses));
          }
          return Future.all(senders).compose(done -> TestDatabase.fingerprint(node.inspect))
              .map(after -> {
                assertThat(after).as("stored state").isEqualTo(before);
                return after;
              });
        })
        .compose(unchanged -> node.client.get("/health").send())
        .onComplete(test.succeeding(health -> test.verify(() -> {
          assertThat(health.statusCode()).isEqualTo(200);
          System.out.printf("fuzz: %d requests, seed %d, statuses %s%n", REQUESTS, seed, statuses);
          test.completeNow();
        })));
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  private static Future<Void> send(List<Attempt> attempts, AtomicInteger next, Map<Integer, Integer> statuses) {
    int index = next.getAndIncrement();
    if (index >= attempts.size()) {
      return Future.succeededFuture();
    }
    Attempt attempt = attempts.get(index);
    return node.client.post("/api/sync/" + attempt.endpoint()).putHeader("Content-Type", attempt.contentType())
        .sendBuffer(Buffer.buffer(attempt.body()))
        .compose(response -> {
          assertThat(response.statusCode())
              .as("%s %s (%s): %s", attempt.endpoint(), attempt.mutation(),
                  abbreviate(new String(attempt.body(), StandardCharsets.UTF_8)), abbreviate(response.bodyAsString()))
              .isBetween(400, 499);
          assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
          synchronized (statuses) {
            statuses.merge(response.statusCode(), 1, Integer::sum);
          }
          return send(attempts, next, statuses);
        });
  }
}
