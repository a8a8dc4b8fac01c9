package io.syncnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs README.md's curl examples, in the order the README gives them, against a node on an empty
 * database, and checks each documented answer, so that the README cannot drift from the node.
 *
 * <p>An example is a {@code ```sh} block holding one {@code curl} command, followed by an
 * {@code ```http} block with the answer: the status line, a blank line, then the JSON body. The
 * body must have exactly the documented fields, with the documented values, except where the
 * README writes {@code "…"}: any value there; and an array whose last element is {@code "…"}
 * starts with the elements before it and may hold more. A {@code curl -N} example (a stream that
 * does not end) has no answer block.
 */
class ReadmeExamplesTest {
  static final String ANY = "…";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;

  /** One example: the curl command as written, the documented status and body, and where it is. */
  record Example(int line, String command, int status, String body) {}

  /** A curl command parsed: what it sends. */
  record Curl(String method, String url, Map<String, String> headers, String data) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    db = TestDatabase.create(ReadmeExamplesTest.class);
    node = TestNode.startAndWait(vertx, db, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  static List<Example> examples(List<String> lines) {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).equals("```sh")) {
        continue;
      }
      int start = i;
      StringBuilder command = new StringBuilder();
      while (!lines.get(++i).equals("```")) {
        command.append(lines.get(i)).append('\n');
      }
      // a stream (curl -N, the event stream) has no answer to compare; its own tests cover it
      if (!command.toString().startsWith("curl ") || command.toString().startsWith("curl -N ")) {
        continue;
      }
      int next = i + 1;
      while (next < lines.size() && lines.get(next).isBlank()) next++;
      assertThat(lines.get(next)).as("README line %d: a curl example is followed by a ```http block with its answer",
          start + 1).isEqualTo("```http");
      String statusLine = lines.get(next + 1);
      assertThat(statusLine).as("README line %d: the answer starts with its status line", next + 2)
          .matches("HTTP/1\\.1 \\d{3} .*");
      assertThat(lines.get(next + 2)).as("README line %d: a blank line after the status", next + 3).isBlank();
      StringBuilder body = new StringBuilder();
      int j = next + 3;
      while (!lines.get(j).equals("```")) {
        body.append(lines.get(j++)).append('\n');
      }
      examples.add(new Example(start + 1, command.toString(), Integer.parseInt(statusLine.substring(9, 12)),
          body.toString()));
      i = j;
    }
    return examples;
  }

  /** Splits a shell command as sh would (backslash-newline joins lines; single and double quotes). */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    String text = command.replace("\\\n", " ");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        word = word == null ? new StringBuilder() : word;
        word.append(text, i + 1, end);
        i = end;
      } else if (c == '"') {
        word = word == null ? new StringBuilder() : word;
        for (i++; text.charAt(i) != '"'; i++) {
          if (text.charAt(i) == '\\') i++;
          word.append(text.charAt(i));
        }
      } else if (Character.isWhitespace(c)) {
        if (word != null) words.add(word.toString());
        word = null;
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c == '\\' ? text.charAt(++i) : c);
      }
    }
    if (word != null) words.add(word.toString());
    return words;
  }

  static Curl curl(String command) {
    List<String> words = words(command);
    assertThat(words.get(0)).isEqualTo("curl");
    String url = null;
    String data = null;
    String method = null;
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (int i = 1; i < words.size(); i++) {
      String word = words.get(i);
      switch (word) {
        case "-s", "-sS", "--silent" -> { }
        case "-H", "--header" -> {
          String header = words.get(++i);
          headers.put(header.substring(0, header.indexOf(':')).trim(), header.substring(header.indexOf(':') + 1).trim());
        }
        case "-d", "--data", "--data-raw" -> data = words.get(++i);
        case "-X", "--request" -> method = words.get(++i);
        default -> {
          assertThat(word).as("an option of curl the test does not know: %s", command).doesNotStartWith("-");
          url = word;
        }
      }
    }
    assertThat(url).as(command).isNotNull();
    return new Curl(method != null ? method : data != null ? "POST" : "GET", url, headers, data);
  }

  /** The README's URL on the test node: localhost:8766 is the node's default address. */
  private static URI onTestNode(String url) {
    String rest = url.replaceFirst("^(http://)?(localhost|127\\.0\\.0\\.1):8766", "");
    assertThat(rest).as("an example addresses the node at localhost:8766: %s", url).startsWith("/");
    return URI.create("http://127.0.0.1:" + node.port + rest);
  }

  /** Whether {@code actual} is what the README documents; the reason where it is not. */
  static void assertDocumented(String path, Object documented, Object actual) {
    if (ANY.equals(documented)) {
      assertThat(actual).as("%s: documented, so present", path).isNotNull();
      return;
    }
    if (documented instanceof JsonObject doc) {
      assertThat(actual).as("%s: an object", path).isInstanceOf(JsonObject.class);
      JsonObject act = (JsonObject) actual;
      assertThat(new TreeSet<>(act.fieldNames())).as("%s: the fields of the answer", path)
          .isEqualTo(new TreeSet<>(doc.fieldNames()));
      for (String field : doc.fieldNames()) {
        assertDocumented(path + "." + field, doc.getValue(field), act.getValue(field));
      }
    } else if (documented instanceof JsonArray doc) {
      assertThat(actual).as("%s: an array", path).isInstanceOf(JsonArray.class);
      JsonArray act = (JsonArray) actual;
      boolean open = !doc.isEmpty() && ANY.equals(doc.getValue(doc.size() - 1));
      int fixed = open ? doc.size() - 1 : doc.size();
      if (open) {
        assertThat(act.size()).as("%s: at least %d elements", path, fixed).isGreaterThanOrEqualTo(fixed);
      } else {
        assertThat(act.size()).as("%s: elements", path).isEqualTo(fixed);
      }
      for (int i = 0; i < fixed; i++) {
        assertDocumented(path + "[" + i + "]", doc.getValue(i), act.getValue(i));
      }
    } else if (documented instanceof Number n) {
      assertThat(actual).as(path).isInstanceOf(Number.class);
      assertThat(((Number) actual).doubleValue()).as(path).isEqualTo(n.doubleValue());
    } else {
      assertThat(actual).as(path).isEqualTo(documented);
    }
  }

  @Test
  void theReadmeCurlExamplesAnswerAsDocumented() throws Exception {
    List<Example> examples = examples(Files.readAllLines(Path.of("README.md")));
    assertThat(examples).extracting(example -> curl(example.command()).url().replaceAll(".*8766", ""))
        .as("the examples of the API section")
        .contains("/api/sync/register", "/api/sync/push", "/api/sync/pull", "/api/sync/status", "/api/sync/diff",
            "/api/sync/merkle");
    for (Example example : examples) {
      Curl curl = curl(example.command());
      HttpRequest.Builder request = HttpRequest.newBuilder(onTestNode(curl.url())).timeout(Duration.ofSeconds(30))
          .method(curl.method(), curl.data() == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(curl.data()));
      curl.headers().forEach(request::header);
      String where = "README line " + example.line() + " (" + curl.method() + " " + curl.url() + ")";
      // A read may have to wait for the push before it to be visible below the feed's watermark,
      // which any open transaction on the PostgreSQL server holds back for a moment; a push is sent once.
      long deadline = System.nanoTime() + Duration.ofSeconds(curl.url().endsWith("/push") ? 0 : 30).toNanos();
      while (true) {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        try {
          assertThat(response.statusCode()).as("%s: status; answered %s", where, response.body())
              .isEqualTo(example.status());
          assertDocumented(where + " answer", new JsonObject(example.body()), new JsonObject(response.body()));
          break;
        } catch (AssertionError notYet) {
          if (System.nanoTime() > deadline) {
            throw notYet;
          }
          Thread.sleep(200);
        }
      }
    }
  }

  @Test
  void theCheckCatchesAnUndocumentedFieldAWrongValueAndAMissingElement() {
    JsonObject documented = new JsonObject("{\"a\": 1, \"b\": \"…\", \"c\": [\"x\", \"…\"], \"d\": [1]}");
    assertDocumented("ok", documented, new JsonObject("{\"a\": 1, \"b\": [2], \"c\": [\"x\", \"y\"], \"d\": [1]}"));
    for (String wrong : List.of("{\"a\": 2, \"b\": 1, \"c\": [\"x\"], \"d\": [1]}",
        "{\"a\": 1, \"b\": 1, \"c\": [\"x\"], \"d\": [1], \"e\": 0}", "{\"a\": 1, \"c\": [\"x\"], \"d\": [1]}",
        "{\"a\": 1, \"b\": 1, \"c\": [], \"d\": [1]}", "{\"a\": 1, \"b\": 1, \"c\": [\"x\"], \"d\": [1, 2]}")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> assertDocumented("wrong", documented, new JsonObject(wrong))).isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void curlCommandsAreReadAsAShellWouldSplitThem() {
    Curl curl = curl("curl -s localhost:8766/api/sync/push -H 'Content-Type: application/json' -d '{\n"
        + "  \"device_id\": \"laptop-1\"}'\n");
    assertThat(curl).isEqualTo(new Curl("POST", "localhost:8766/api/sync/push",
        Map.of("Content-Type", "application/json"), "{\n  \"device_id\": \"laptop-1\"}"));
    assertThat(words("curl -s a \\\n  -d \"x y\"")).containsExactly("curl", "-s", "a", "-d", "x y");
  }
}
