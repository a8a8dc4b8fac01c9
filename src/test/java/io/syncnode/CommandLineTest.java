package io.syncnode;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.config.Version;
import io.syncnode.support.LauncherJar;
import io.syncnode.support.NodeProcess;
import io.syncnode.support.PomVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line as a user meets it: --version and --help answer on stdout with exit 0, an
 * option nobody knows is "unknown option --x" with exit 2, whatever follows it.
 */
class CommandLineTest {
  private static final Path SCRIPT = Path.of("bin", "syncnode").toAbsolutePath();
  private static Path dir;
  private static Path launcher;

  @BeforeAll
  static void writeLauncher() throws IOException {
    dir = Files.createTempDirectory("syncnode-command-line");
    launcher = LauncherJar.write(dir);
  }

  @AfterAll
  static void deleteFolder() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static String pomVersion() {
    return PomVersion.read();
  }

  private record Run(int status, String out, String err) {}

  private static Run run(List<String> command, Map<String, String> env) throws Exception {
    try (NodeProcess process = NodeProcess.run(command, env, true)) {
      int status = process.awaitExit(120);
      return new Run(status, process.output(), process.errors());
    }
  }

  private static Run jar(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-jar", launcher.toString()));
    command.addAll(List.of(args));
    return run(command, Map.of());
  }

  @Test
  void versionIsThePomsOnStdout() throws Exception {
    Run run = jar("--version");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("syncnode " + pomVersion());
    assertThat(run.err()).isEmpty();
    assertThat(Version.current()).isEqualTo(pomVersion());
  }

  @Test
  void theScriptsVersionIsTheNodes() throws Exception {
    Run run = run(List.of(SCRIPT.toString(), "--version"), Map.of("SYNCNODE_JAR", launcher.toString()));

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("syncnode " + pomVersion());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--help", "-h", "bench --help", "bench -h", "admin --help", "admin -h",
      "admin create-key --help", "admin list-keys -h", "admin revoke-key --help"})
  void helpIsUsageOnStdoutAndExitZero(String args) throws Exception {
    Run run = jar(args.split(" "));

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("usage: java -jar syncnode.jar");
    assertThat(run.err()).isEmpty();
    if (args.startsWith("admin ") && !args.startsWith("admin -")) {
      assertThat(run.out()).contains(args.split(" ")[1]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--x", "--x foo", "--x --conf conf/node.json", "--conf conf/node.json --x",
      "bench --x", "bench --x 5", "bench --pg-ceiling --x", "bench --x --url http://127.0.0.1:1",
      "admin --x", "admin --x create-key", "admin create-key --x", "admin create-key --tenant t --x 1",
      "admin list-keys --x --tenant t", "admin revoke-key --x"})
  void anUnknownOptionIsNamedWhateverFollowsIt(String args) throws Exception {
    Run run = jar(args.split(" "));

    assertThat(run.status()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err().lines().findFirst().orElse("")).endsWith("unknown option --x");
    assertThat(run.out()).isEmpty();
  }

  /** README's quick start says what bin/syncnode does and which settings it reads; --help says all of it. */
  @Test
  void theScriptsHelpListsWhatReadmeSays() throws Exception {
    Run run = run(List.of(SCRIPT.toString(), "--help"), Map.of());
    assertThat(run.status()).isZero();
    assertThat(run.err()).isEmpty();

    String readme = Files.readString(Path.of("README.md"));
    String quickStart = readme.substring(readme.indexOf("## Quick start"), readme.indexOf("## Configuration"));
    TreeSet<String> claims = new TreeSet<>();
    Matcher variables = Pattern.compile("SYNCNODE_(?:PG|DEV)_[A-Z]+|SYNCNODE_JAR|JAVA_OPTS|JAVA_HOME")
        .matcher(quickStart);
    while (variables.find()) {
      claims.add(variables.group());
    }
    Matcher commands = Pattern.compile("bin/syncnode (start-db|stop-db|--version|--help|--conf)").matcher(quickStart);
    while (commands.find()) {
      claims.add(commands.group(1));
    }
    assertThat(claims).contains("SYNCNODE_DEV_PGDATA", "start-db", "stop-db", "--version");
    assertThat(run.out()).contains(claims);
  }
}
