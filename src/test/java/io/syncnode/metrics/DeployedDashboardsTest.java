package io.syncnode.metrics;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.Entities;
import io.syncnode.support.NodeTestBase;
import io.syncnode.support.PrometheusText;
import io.syncnode.support.SseListener;
import io.syncnode.support.WsListener;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/syncnode.json and deploy/prometheus-alerts.yml name only series that a node's
 * /metrics serves (after some traffic of every kind), so that neither shows an empty panel or
 * an alert that can never fire.
 */
class DeployedDashboardsTest extends NodeTestBase {
  private static final Path DASHBOARD = Path.of("deploy", "grafana", "syncnode.json");
  private static final Path ALERTS = Path.of("deploy", "prometheus-alerts.yml");
  /** Series that Prometheus itself records for each scrape, not the node. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without");

  /** The metric names of a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
  static Set<String> metricNames(String expr) {
    String plain = QUOTED.matcher(expr).replaceAll("\"\"");
    plain = plain.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
    plain = GROUPING.matcher(plain).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(plain);
    while (m.find()) {
      String word = m.group();
      boolean preceded = m.start() > 0 && Character.isDigit(plain.charAt(m.start() - 1));
      int next = m.end();
      while (next < plain.length() && Character.isWhitespace(plain.charAt(next))) next++;
      boolean function = next < plain.length() && plain.charAt(next) == '(';
      if (!function && !preceded && !KEYWORDS.contains(word) && !word.startsWith("$")) {
        names.add(word);
      }
    }
    return names;
  }

  /** Every "expr" of every panel target of the dashboard. */
  static List<String> dashboardExpressions() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    List<String> exprs = new ArrayList<>();
    collect(dashboard.getJsonArray("panels"), exprs);
    return exprs;
  }

  private static void collect(JsonArray panels, List<String> exprs) {
    for (Object item : panels) {
      JsonObject panel = (JsonObject) item;
      if (panel.containsKey("panels")) {
        collect(panel.getJsonArray("panels"), exprs);
      }
      for (Object target : panel.getJsonArray("targets", new JsonArray())) {
        exprs.add(((JsonObject) target).getString("expr"));
      }
    }
  }

  /** Every rule's expr: a one-line value, or a folded block (">-", "|") of the lines indented under it. */
  static List<String> alertExpressions() throws IOException {
    List<String> lines = Files.readAllLines(ALERTS);
    List<String> exprs = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.trim();
      if (!trimmed.startsWith("expr:")) {
        continue;
      }
      String value = trimmed.substring("expr:".length()).trim();
      if (value.startsWith(">") || value.startsWith("|")) {
        int indent = line.indexOf("expr:");
        StringBuilder block = new StringBuilder();
        while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
            || lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() > indent)) {
          block.append(lines.get(++i).trim()).append(' ');
        }
        value = block.toString().trim();
      }
      exprs.add(value);
    }
    return exprs;
  }

  /** The sample names /metrics serves after a register, pushes with every verdict, a pull, a diff and live connections. */
  private static Set<String> served() throws Exception {
    String device = unique("dash");
    await(call("register", new JsonObject().put("device_id", device).put("device_name", "d").put("platform", "linux")
        .put("client_version", "0.1.0")));
    String id = unique("m");
    await(call("push", Entities.push(device, new JsonArray().add(Entities.memory(id, "one", clock(device, 2))),
        new JsonArray(), new JsonArray())));
    // stale and concurrent against the stored clock
    await(call("push", Entities.push(device, new JsonArray().add(Entities.memory(id, "old", clock(device, 1)))
        .add(Entities.memory(id + "-x", "x", clock(device, 1))), new JsonArray(), new JsonArray())));
    await(call("pull", new JsonObject().put("device_id", device).put("limit", 10)));
    await(call("diff", new JsonObject().put("device_id", device)
        .put("memories", new JsonArray().add(new JsonObject().put("id", id).put("content_hash", "0"))).put("sessions",
            new JsonArray()).put("edges", new JsonArray())));
    await(node.client.get("/api/sync/nothing").send());
    try (WsListener socket = WsListener.connected(vertx, node.port, "/ws/memories");
         SseListener stream = SseListener.open(vertx, node.port, "/api/sync/events", Map.of())) {
      var response = await(node.client.get("/metrics").send());
      assertThat(response.statusCode()).isEqualTo(200);
      Set<String> names = new TreeSet<>();
      PrometheusText.parse(response.bodyAsString()).samples().forEach(sample -> names.add(sample.name()));
      return names;
    }
  }

  @Test
  void theDashboardAndTheAlertsNameOnlySeriesTheNodeServes() throws Exception {
    List<String> dashboard = dashboardExpressions();
    List<String> alerts = alertExpressions();
    assertThat(dashboard).hasSizeGreaterThan(20);
    assertThat(alerts).hasSize(5);
    Set<String> named = new TreeSet<>();
    dashboard.forEach(expr -> named.addAll(metricNames(expr)));
    alerts.forEach(expr -> named.addAll(metricNames(expr)));
    // What the issue asks the dashboard to show, so that the check above is not vacuous.
    assertThat(named).contains("vertx_http_server_requests_total", "syncnode_verdicts_total",
        "syncnode_push_batch_size_sum", "syncnode_pull_pages_total", "syncnode_lock_wait_seconds_bucket",
        "syncnode_lock_timeouts_total", "vertx_pool_in_use", "vertx_http_server_active_ws_connections",
        "syncnode_cluster_members", "syncnode_ready", "up", "syncnode_feed_lag_seconds");

    Set<String> served = served();
    Set<String> missing = new TreeSet<>(named);
    missing.removeAll(served);
    missing.removeAll(PROMETHEUS_OWN);
    assertThat(missing).as("named by the dashboard or the alerts but not served by /metrics").isEmpty();
  }

  @Test
  void theNamesOfAnExpressionAreFound() {
    assertThat(metricNames("histogram_quantile(0.99, sum by (le, route) (rate(a_bucket{job=~\"$job\", code=~\"5..\"}"
        + "[$__rate_interval]))) / on (instance) b_total > 0.5 and up == 0"))
        .containsExactly("a_bucket", "b_total", "up");
  }

  @Test
  void promtoolAcceptsTheAlertingRulesAndTheScrapeConfiguration() throws Exception {
    boolean installed = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "promtool")));
    Assumptions.assumeTrue(installed, "promtool is not installed: rules not checked by it");
    assertThat(promtool("check", "rules", ALERTS.toString())).contains("SUCCESS: 5 rules found");
    // The scrape configuration loads the rules (promtool checks the rule files it names too).
    assertThat(promtool("check", "config", "deploy/prometheus.yml")).contains("SUCCESS: 1 rule files found");
  }

  private static String promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
