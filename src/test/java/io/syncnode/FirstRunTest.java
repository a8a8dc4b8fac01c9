package io.syncnode;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncnode.support.Entities;
import io.syncnode.support.LauncherJar;
import io.syncnode.support.NodeProcess;
import io.syncnode.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * README's first command, {@code bin/syncnode}, on a machine where no PostgreSQL answers: it starts
 * one of its own, the node runs on it, and {@code bin/syncnode stop-db} stops it. The script runs
 * from a checkout inside a private folder (mode 700, as a home folder is), and changes the mode of
 * none of the folders above it.
 */
@ExtendWith(VertxExtension.class)
class FirstRunTest {
  private static Path dir;
  private static Path home;
  private static Path script;
  private static Path launcher;
  private static Path pgData;
  private static int pgPort;
  private static NodeProcess node;

  @BeforeAll
  static void prepare() throws Exception {
    dir = Files.createTempDirectory("syncnode-first-run");
    home = Files.createDirectory(dir.resolve("home"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path bin = Files.createDirectories(home.resolve("checkout").resolve("bin"));
    script = Files.copy(Path.of("bin", "syncnode"), bin.resolve("syncnode"), StandardCopyOption.COPY_ATTRIBUTES);
    launcher = LauncherJar.write(dir);
    pgData = dataFolderOfTheCheckout();
  }

  /** Where the script keeps its PostgreSQL for this checkout, as its --help says. */
  private static Path dataFolderOfTheCheckout() throws Exception {
    try (NodeProcess help = NodeProcess.run(List.of(script.toString(), "--help"), Map.of())) {
      assertThat(help.awaitExit(30)).isZero();
      String here = help.output().lines().filter(line -> line.startsWith("Here: ")).findFirst().orElseThrow();
      return Path.of(here.substring("Here: ".length()));
    }
  }

  /** The mode and owner of every folder from {@code folder} up to /. */
  private static Map<Path, String> modesAbove(Path folder) throws IOException {
    Map<Path, String> modes = new java.util.LinkedHashMap<>();
    for (Path at = folder; at != null; at = at.getParent()) {
      modes.put(at, PosixFilePermissions.toString(Files.getPosixFilePermissions(at)) + " " + Files.getOwner(at));
    }
    return modes;
  }

  @BeforeEach
  void freePort() {
    pgPort = TestNode.freePort();
  }

  /** Whatever a test left running: its node, then the PostgreSQL it started. */
  @AfterEach
  void stopWhatRuns() throws Exception {
    if (node != null) {
      node.kill();
      node = null;
    }
    Path pidFile = pgData.resolve("postmaster.pid");
    if (Files.exists(pidFile)) {
      stopDb();
    }
    if (Files.exists(pidFile)) {
      long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      new ProcessBuilder("kill", "-INT", Long.toString(postmaster)).inheritIO().start().waitFor();
    }
  }

  @AfterAll
  static void deleteFolder() throws IOException {
    delete(dir);
    // run by root, the script kept its PostgreSQL in a folder of its own outside the checkout
    if (!pgData.startsWith(dir)) {
      delete(pgData.getParent());
    }
  }

  private static void delete(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  /** The script's environment: PostgreSQL "stopped" (nothing on pgPort), the checkout's data folder, the launcher jar. */
  private static Map<String, String> environment(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "SYNCNODE_PG_PORT", Integer.toString(pgPort),
        "SYNCNODE_JAR", launcher.toString(),
        "JAVA_OPTS", "-Xmx256m -Djava.net.preferIPv4Stack=true"));
    env.putAll(extra);
    return env;
  }

  private static NodeProcess script(Map<String, String> env, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    return NodeProcess.run(command, env);
  }

  /** Runs {@code bin/syncnode stop-db}; answers its exit status and output. */
  private static Map.Entry<Integer, String> stopDb() throws Exception {
    return runScript("stop-db");
  }

  private static Map.Entry<Integer, String> runScript(String command) throws Exception {
    try (NodeProcess run = script(environment(Map.of()), command)) {
      int status = run.awaitExit(120);
      return Map.entry(status, run.output());
    }
  }

  /** Polls /ready until it answers {@code status}; answers the last body. */
  private static JsonObject readyUntil(WebClient client, int port, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpResponse<Buffer> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = client.get(port, "127.0.0.1", "/ready").send()
            .await(10, TimeUnit.SECONDS);
        if (last.statusCode() == status) {
          return last.bodyAsJsonObject();
        }
      } catch (Exception notYet) {
        // the node is still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("/ready did not answer " + status + "; last: "
        + (last == null ? "nothing" : last.statusCode() + " " + last.bodyAsString()));
  }

  @Test
  void startsItsOwnPostgresqlServesSyncAndStopsIt(Vertx vertx) throws Exception {
    Map<Path, String> modesBefore = modesAbove(script.getParent());
    int httpPort = TestNode.freePort();
    node = script(environment(Map.of("SYNCNODE_HTTP_PORT", Integer.toString(httpPort))));
    node.awaitListening(180);
    assertThat(node.output())
        .contains("data folder  " + pgData)
        .contains("log          " + pgData.resolveSibling("postgres.log"))
        .contains("127.0.0.1:" + pgPort)
        .contains("stop it with bin/syncnode stop-db")
        .doesNotContain("traversable");
    assertThat(modesAbove(script.getParent())).isEqualTo(modesBefore);
    assertThat(pgData.resolve("PG_VERSION")).exists();

    WebClient client = WebClient.create(vertx);
    assertThat(awaitReady(client, httpPort)).isEqualTo(200);
    JsonObject registered = post(client, httpPort, "/api/sync/register", new JsonObject().put("device_id", "laptop")
        .put("device_name", "laptop").put("platform", "linux").put("client_version", "0.1.0"));
    assertThat(registered.getString("device_id")).isEqualTo("laptop");
    JsonObject pushed = post(client, httpPort, "/api/sync/push",
        Entities.pushMemories("laptop", Entities.memory("first-run-1", "Started with one command", clock("laptop", 1))));
    assertThat(pushed.getInteger("accepted")).isEqualTo(1);
    JsonObject pulled = post(client, httpPort, "/api/sync/pull", Entities.pull("desktop", null, 100, 0));
    JsonArray memories = pulled.getJsonArray("memories");
    assertThat(memories).hasSize(1);
    assertThat(memories.getJsonObject(0).getString("id")).isEqualTo("first-run-1");
    assertThat(memories.getJsonObject(0).getString("content")).isEqualTo("Started with one command");

    // the database goes away under the running node (stop-db warns), and comes back
    Map.Entry<Integer, String> stoppedUnderTheNode = stopDb();
    assertThat(stoppedUnderTheNode.getKey()).isZero();
    assertThat(stoppedUnderTheNode.getValue()).contains("warning: a syncnode node still uses this PostgreSQL")
        .contains("database syncnode");
    JsonObject unready = readyUntil(client, httpPort, 503);
    assertThat(unready.getJsonObject("checks").getString("database")).startsWith("unreachable");
    Map.Entry<Integer, String> restarted = runScript("start-db");
    assertThat(restarted.getKey()).as(restarted.getValue()).isZero();
    assertThat(restarted.getValue()).contains("starting the development PostgreSQL");
    assertThat(readyUntil(client, httpPort, 200).getString("status")).isEqualTo("ready");
    JsonObject pulledAgain = post(client, httpPort, "/api/sync/pull", Entities.pull("tablet", null, 100, 0));
    assertThat(pulledAgain.getJsonArray("memories")).hasSize(1);
    client.close();

    node.terminate();
    assertThat(node.awaitExit(60)).as(node.output()).isZero();
    Map.Entry<Integer, String> stopped = stopDb();
    assertThat(stopped.getKey()).as(stopped.getValue()).isZero();
    assertThat(stopped.getValue()).contains("stopped the development PostgreSQL").doesNotContain("warning");
    assertThatThrownBy(() -> new Socket("127.0.0.1", pgPort).close()).isInstanceOf(ConnectException.class);
    assertThat(modesAbove(script.getParent())).isEqualTo(modesBefore);
  }

  /** Run by root, PostgreSQL runs as postgres: a data folder postgres cannot reach is refused, nothing opened. */
  @Test
  void aDataFolderThatPostgresCannotReachIsRefusedAndNoFolderIsOpened() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "PostgreSQL runs as postgres only for root");
    Map<Path, String> modesBefore = modesAbove(home);
    Path unreachable = home.resolve("pgdata");

    try (NodeProcess run = script(environment(Map.of("SYNCNODE_DEV_PGDATA", unreachable.toString())), "start-db")) {
      assertThat(run.awaitExit(60)).isEqualTo(1);
      assertThat(run.output()).contains("cannot enter " + home + " (mode 700)")
          .contains("Set SYNCNODE_DEV_PGDATA to a folder postgres can reach");
    }
    assertThat(unreachable).doesNotExist();
    assertThat(modesAbove(home)).isEqualTo(modesBefore);
  }

  @Test
  void withoutPostgresqlBinariesItSaysHowToGetThemAndFails() throws Exception {
    try (NodeProcess run = script(environment(Map.of(
        "SYNCNODE_HTTP_PORT", Integer.toString(TestNode.freePort()),
        "SYNCNODE_DEV_PGBIN", "/nonexistent",
        "SYNCNODE_DEV_PGDATA", dir.resolve("never").toString())))) {
      assertThat(run.awaitExit(60)).isNotZero();
      assertThat(run.output())
          .contains("nothing answers at 127.0.0.1:" + pgPort)
          .contains("apt-get install postgresql")
          .contains("brew install postgresql@15")
          .contains("docker run");
    }
    assertThat(dir.resolve("never")).doesNotExist();
  }

  /** Polls GET /ready while the node opens its pool; answers the last status. */
  private static int awaitReady(WebClient client, int port) throws Exception {
    int status = 0;
    for (int attempt = 0; attempt < 300 && status != 200; attempt++) {
      if (attempt > 0) {
        Thread.sleep(200);
      }
      status = await(client.get(port, "127.0.0.1", "/ready").send().map(response -> response.statusCode()));
    }
    return status;
  }

  private static JsonObject post(WebClient client, int port, String path, JsonObject body) throws Exception {
    var response = await(client.post(port, "127.0.0.1", path).sendJsonObject(body));
    assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

}
