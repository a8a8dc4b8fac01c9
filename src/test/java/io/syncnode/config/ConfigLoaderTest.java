package io.syncnode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncnode.protocol.InputLimits;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final int CORES = io.vertx.core.VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;

  @TempDir
  Path dir;

  private Path file(String json) throws IOException {
    return Files.writeString(dir.resolve("node.json"), json.replace('\'', '"'));
  }

  @Test
  void defaults() {
    NodeConfig c = ConfigLoader.load(null, Map.of());

    assertThat(c.http()).isEqualTo(new NodeConfig.HttpConfig("127.0.0.1", 8766, 1_073_741_824L, CORES, 30_000L, List.of(),
        false, Runtime.getRuntime().maxMemory() / 8, 4 * 1_073_741_824L,
        new NodeConfig.ConnectionLimits(10_000L, 30_000L, 20_000L, 1024, 4096), false, new NodeConfig.TlsConfig("", "")));
    assertThat(c.auth().failureRate()).isEqualTo(1);
    assertThat(c.auth().failureBurst()).isEqualTo(20);
    assertThat(c.pg()).isEqualTo(
        new NodeConfig.PgConfig("127.0.0.1", 5432, "syncnode", "postgres", "", 16, true, 5000));
    assertThat(c.workers().instances()).isEqualTo(CORES);
    assertThat(c.limits()).isEqualTo(InputLimits.DEFAULTS);
    assertThat(c.locks()).isEqualTo(new NodeConfig.LocksConfig(NodeConfig.LockMode.LOCAL, 1 << 20, 10_000L, 5_000L));
    assertThat(c.log().format()).isEqualTo(NodeConfig.LogFormat.TEXT);
    assertThat(c.metrics()).isEqualTo(new NodeConfig.MetricsConfig(true));
    assertThat(c.live()).isEqualTo(new NodeConfig.LiveConfig(30_000L, 1_048_576, 30_000L, 500));
  }

  @Test
  void metricsCanBeTurnedOffFromTheEnvironmentOrTheFile() throws IOException {
    assertThat(ConfigLoader.load(null, Map.of("SYNCNODE_METRICS_ENABLED", "false")).metrics().enabled()).isFalse();
    assertThat(ConfigLoader.load(file("{'metrics':{'enabled':false}}"), Map.of()).metrics().enabled()).isFalse();
  }

  @Test
  void logFormatJsonFromTheEnvironmentOrTheFile() throws IOException {
    assertThat(ConfigLoader.load(null, Map.of("SYNCNODE_LOG_FORMAT", "json")).log().format())
        .isEqualTo(NodeConfig.LogFormat.JSON);
    assertThat(ConfigLoader.load(file("{'log':{'format':'JSON'}}"), Map.of()).log().format())
        .isEqualTo(NodeConfig.LogFormat.JSON);
  }

  @Test
  void variablesOfTheStartScriptAreNotRefusedAndTheLogLevelIsLogLevel() {
    NodeConfig c = ConfigLoader.load(null, Map.of("SYNCNODE_LOG_LEVEL", "DEBUG", "SYNCNODE_JAR", "/opt/syncnode.jar",
        "SYNCNODE_DEV_PGDATA", "/tmp/pgdata", "SYNCNODE_DEV_PGBIN", "/usr/lib/postgresql/15/bin"));

    NodeConfig defaults = ConfigLoader.load(null, Map.of());
    assertThat(c.log().level()).isEqualTo("DEBUG");
    assertThat(c).isEqualTo(new NodeConfig(defaults.http(), defaults.pg(), defaults.workers(), defaults.limits(),
        defaults.cluster(), defaults.locks(), defaults.auth(), new NodeConfig.LogConfig(NodeConfig.LogFormat.TEXT,
        "DEBUG"), defaults.metrics(), defaults.live(), defaults.feed()));
  }

  @Test
  void liveKeysFromTheFileAndTheEnvironment() throws IOException {
    Path f = file("{'live':{'pingIntervalMs':5000,'maxQueuedBytes':65536}}");

    NodeConfig c = ConfigLoader.load(f, Map.of("SYNCNODE_LIVE_DRAINTIMEOUTMS", "2500",
        "SYNCNODE_LIVE_MAXCONNECTIONSPERTENANT", "7"));

    assertThat(c.live()).isEqualTo(new NodeConfig.LiveConfig(5000L, 65_536, 2500L, 7));
  }

  @Test
  void connectionLimitsAndHttp2FromTheEnvironment() {
    NodeConfig c = ConfigLoader.load(null, Map.of("SYNCNODE_HTTP_HEADERTIMEOUTMS", "2000",
        "SYNCNODE_HTTP_KEEPALIVETIMEOUTMS", "3000", "SYNCNODE_HTTP_BODYIDLETIMEOUTMS", "4000",
        "SYNCNODE_HTTP_MINBODYBYTESPERSECOND", "0", "SYNCNODE_HTTP_MAXCONNECTIONS", "10", "SYNCNODE_HTTP_HTTP2", "true"));

    assertThat(c.http().connections()).isEqualTo(new NodeConfig.ConnectionLimits(2000L, 3000L, 4000L, 0, 10));
    assertThat(c.http().http2()).isTrue();
  }

  @Test
  void httpsNeedsBothReadableFiles() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SYNCNODE_HTTP_TLS_CERTPATH", "/etc/hostname")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.tls.keyPath");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SYNCNODE_HTTP_TLS_CERTPATH", "/nonexistent/cert.pem",
        "SYNCNODE_HTTP_TLS_KEYPATH", "/nonexistent/key.pem")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.tls.certPath: cannot read");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SYNCNODE_HTTP_MAXCONNECTIONS", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.maxConnections");
  }

  @Test
  void documentedFileEqualsTheBuiltInDefaults() throws IOException {
    JsonObject documented = new JsonObject(Files.readString(Path.of("conf", "node.json")));

    assertThat(documented).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void documentedFileLoadsToTheDefaults() {
    assertThat(ConfigLoader.load(Path.of("conf", "node.json"), Map.of())).isEqualTo(ConfigLoader.load(null, Map.of()));
  }

  @Test
  void environmentOverridesDefaults() {
    NodeConfig c = ConfigLoader.load(null, Map.of(
        "SYNCNODE_HTTP_PORT", "9000",
        "SYNCNODE_PG_HOST", "db.internal",
        "SYNCNODE_PG_PORT", " 6543 ",
        "SYNCNODE_PG_DATABASE", "sync_test",
        "SYNCNODE_PG_USER", "sync",
        "SYNCNODE_PG_PASSWORD", "s3cret pass"));

    assertThat(c.http().port()).isEqualTo(9000);
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.pg()).isEqualTo(new NodeConfig.PgConfig("db.internal", 6543, "sync_test", "sync", "s3cret pass", 16,
        true, 5000));
  }

  @Test
  void environmentReachesCamelCaseAndBooleanKeys() {
    NodeConfig c = ConfigLoader.load(null, Map.of(
        "SYNCNODE_HTTP_MAXBODYBYTES", "2048",
        "SYNCNODE_HTTP_INSTANCES", "3",
        "SYNCNODE_WORKERS_INSTANCES", "2",
        "SYNCNODE_PG_CREATEDATABASE", "FALSE",
        "SYNCNODE_PG_PULLPOOLSIZE", "2",
        "SYNCNODE_LIMITS_MAXPULLLIMIT", "50"));

    assertThat(c.http().maxBodyBytes()).isEqualTo(2048L);
    assertThat(c.http().instances()).isEqualTo(3);
    assertThat(c.workers().instances()).isEqualTo(2);
    assertThat(c.pg().createDatabase()).isFalse();
    assertThat(c.pg().pullPoolSize()).isEqualTo(2);
    assertThat(c.limits().maxPullLimit()).isEqualTo(50);
  }

  @Test
  void otherEnvironmentVariablesAreIgnored() {
    NodeConfig c = ConfigLoader.load(null, Map.of("PATH", "/bin", "HTTP_PORT", "1", "syncnode_http_port", "abc"));

    assertThat(c.http().port()).isEqualTo(8766);
  }

  @Test
  void emptyPasswordFromTheEnvironmentIsAllowed() {
    assertThat(ConfigLoader.load(null, Map.of("SYNCNODE_PG_PASSWORD", "")).pg().password()).isEmpty();
  }

  @Test
  void fileOverridesDefaults() throws IOException {
    Path f = file("{'http':{'port':9100,'host':'0.0.0.0'},'auth':{'allowUnauthenticated':true},"
        + "'pg':{'database':'fromfile'},'limits':{'idBytes':64}}");

    NodeConfig c = ConfigLoader.load(f, Map.of());

    assertThat(c.http().port()).isEqualTo(9100);
    assertThat(c.http().host()).isEqualTo("0.0.0.0");
    assertThat(c.http().maxBodyBytes()).isEqualTo(1_073_741_824L);
    assertThat(c.pg().database()).isEqualTo("fromfile");
    assertThat(c.pg().host()).isEqualTo("127.0.0.1");
    assertThat(c.limits().idBytes()).isEqualTo(64);
    assertThat(c.limits().maxPullLimit()).isEqualTo(10_000);
  }

  @Test
  void primaryCandidatesAndReplicasFromTheEnvironment() {
    NodeConfig c = ConfigLoader.load(null, Map.of("SYNCNODE_PG_HOSTS", "db1:5432, db2:6543",
        "SYNCNODE_PG_REPLICAS", "r1:5433,r2:5434", "SYNCNODE_PG_MAXREPLICALAGMS", "250"));

    assertThat(c.pg().hosts()).containsExactly(new NodeConfig.PgAddress("db1", 5432), new NodeConfig.PgAddress("db2", 6543));
    assertThat(c.pg().replicas()).containsExactly(new NodeConfig.PgAddress("r1", 5433), new NodeConfig.PgAddress("r2", 5434));
    assertThat(c.pg().maxReplicaLagMs()).isEqualTo(250);
  }

  @Test
  void withoutCandidatesThePrimaryIsPgHostAndPort() {
    NodeConfig c = ConfigLoader.load(null, Map.of("SYNCNODE_PG_HOST", "envhost", "SYNCNODE_PG_PORT", "6000"));

    assertThat(c.pg().hosts()).containsExactly(new NodeConfig.PgAddress("envhost", 6000));
    assertThat(c.pg().replicas()).isEmpty();
  }

  @Test
  void environmentOverridesTheFile() throws IOException {
    Path f = file("{'http':{'port':9100},'pg':{'host':'filehost','user':'fileuser'}}");

    NodeConfig c = ConfigLoader.load(f, Map.of("SYNCNODE_HTTP_PORT", "9200", "SYNCNODE_PG_HOST", "envhost"));

    assertThat(c.http().port()).isEqualTo(9200);
    assertThat(c.pg().host()).isEqualTo("envhost");
    assertThat(c.pg().user()).isEqualTo("fileuser");
  }

  @Test
  void emptyObjectFileKeepsDefaults() throws IOException {
    assertThat(ConfigLoader.load(file("{}"), Map.of())).isEqualTo(ConfigLoader.load(null, Map.of()));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "SYNCNODE_HTTP_PORT            | abc    | http.port",
      "SYNCNODE_HTTP_PORT            | 70000  | http.port",
      "SYNCNODE_HTTP_PORT            | -1     | http.port",
      "SYNCNODE_HTTP_PORT            | 80.5   | http.port",
      "SYNCNODE_HTTP_PORT            | ''     | http.port",
      "SYNCNODE_PG_PORT              | 0      | pg.port",
      "SYNCNODE_PG_PORT              | 99999999999999999999 | pg.port",
      "SYNCNODE_PG_CREATEDATABASE    | maybe  | pg.createDatabase",
      "SYNCNODE_PG_HOST              | ''     | pg.host",
      "SYNCNODE_PG_DATABASE          | '   '  | pg.database",
      "SYNCNODE_PG_HOSTS             | db1    | pg.hosts",
      "SYNCNODE_PG_REPLICAS          | r1:0   | pg.replicas",
      "SYNCNODE_PG_MAXREPLICALAGMS   | -1     | pg.maxReplicaLagMs",
      "SYNCNODE_PG_PULLPOOLSIZE      | 0      | pg.pullPoolSize",
      "SYNCNODE_LIMITS_IDBYTES       | 8      | limits.idBytes",
      "SYNCNODE_LIMITS_MAXPULLLIMIT  | 10001  | limits.maxPullLimit",
      "SYNCNODE_LOG_FORMAT           | xml    | log.format",
      "SYNCNODE_LOG_FORMAT           | ''     | log.format",
      "SYNCNODE_METRICS_ENABLED      | yes    | metrics.enabled",
      "SYNCNODE_METRICS_PATH         | /m     | SYNCNODE_METRICS_PATH",
      "SYNCNODE_LIVE_PINGINTERVALMS  | 0      | live.pingIntervalMs",
      "SYNCNODE_LIVE_MAXQUEUEDBYTES  | 1e6    | live.maxQueuedBytes",
      "SYNCNODE_LIVE_DRAINTIMEOUTMS  | -5     | live.drainTimeoutMs",
      "SYNCNODE_BOGUS                | 1      | SYNCNODE_BOGUS",
      "SYNCNODE_HTTP                 | 1      | SYNCNODE_HTTP",
      "SYNCNODE_HTTP_PORTS           | 1      | SYNCNODE_HTTP_PORTS",
  })
  void badEnvironmentValueNamesTheKey(String variable, String value, String key) {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(variable, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{'http':{'port':70000}}                 | http.port",
      "{'http':{'port':'8080'}}                | http.port",
      "{'http':{'port':80.5}}                  | http.port",
      "{'http':{'port':null}}                  | http.port",
      "{'http':{'port':{'a':1}}}               | http.port",
      "{'http':{'bogus':1}}                    | http.bogus",
      "{'nope':{}}                             | nope",
      "{'http':8080}                           | http",
      "{'http':null}                           | http",
      "{'pg':{'createDatabase':'yes'}}         | pg.createDatabase",
      "{'pg':{'user':''}}                      | pg.user",
      "{'pg':{'password':null}}                | pg.password",
      "{'limits':{'metadataDepth':65}}         | limits.metadataDepth",
      "{'log':{'format':'xml'}}                | log.format",
      "{'log':{'format':1}}                    | log.format",
      "{'log':{'level':'LOUD'}}                | log.level",
      "{'log':{'level':3}}                     | log.level",
      "{'metrics':{'enabled':'true'}}          | metrics.enabled",
      "{'metrics':{'enabled':null}}            | metrics.enabled",
      "{'metrics':{'path':'/m'}}               | metrics.path",
      "{'metrics':true}                        | metrics",
      "{'live':{'maxQueuedBytes':100}}         | live.maxQueuedBytes",
      "{'live':{'pingIntervalMs':'30s'}}       | live.pingIntervalMs",
      "{'live':{'heartbeatMs':1000}}           | live.heartbeatMs",
  })
  void badFileValueNamesTheKey(String json, String key) throws IOException {
    Path f = file(json);

    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key);
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(delimiter = '|', value = {"not json", "''", "[1,2]", "42", "null", "{'http':{}", "{'http':{}} x"})
  void fileThatIsNotAJsonObjectIsRefused(String content) throws IOException {
    Path f = file(content);

    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(f.toString());
  }

  @Test
  void missingFileIsRefused() {
    Path missing = dir.resolve("absent.json");

    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void valuesAreQuotedAsJsonQuotesThem() throws IOException {
    Path f = file("{'http':{'port':'9000'}}");

    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .hasMessage("http.port: must be an integer, got \"9000\"");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SYNCNODE_METRICS_ENABLED", "yes")))
        .hasMessage("metrics.enabled (SYNCNODE_METRICS_ENABLED): must be true or false, got \"yes\"");
    assertThatThrownBy(() -> ConfigLoader.load(file("{'log':{'format':'xml'}}"), Map.of()))
        .hasMessage("log.format: must be text or json, got \"xml\"");
  }

  @Test
  void malformedJsonIsPlacedByLineAndColumnWithoutParserInternals() throws IOException {
    Path f = Files.writeString(dir.resolve("broken.json"), "{\"http\": {\n  \"port\": 9000,,\n}}\n");

    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("configuration file " + f + " is not valid JSON at line 2, column 16: unexpected ','"
            + " (expected double-quote to start field name)");
    Path cut = Files.writeString(dir.resolve("cut.json"), "{\"http\": {\"port\": 9000}\n");
    assertThatThrownBy(() -> ConfigLoader.load(cut, Map.of()))
        .hasMessageStartingWith("configuration file " + cut + " is not valid JSON at line 2")
        .hasMessageEndingWith(": the file ends before the JSON does")
        .hasMessageNotContainingAny("code ", "Source", "REDACTED", "Failed to decode");
    Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
    assertThatThrownBy(() -> ConfigLoader.load(array, Map.of()))
        .hasMessage("configuration file " + array + " must hold a JSON object, not an array");
  }

  @Test
  void aFileThatCannotBeReadSaysWhy() {
    Path missing = dir.resolve("absent.json");

    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
        .hasMessage("cannot read configuration file " + missing + " (" + missing.toAbsolutePath() + "): no such file");
    assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of()))
        .hasMessage("cannot read configuration file " + dir + " (" + dir.toAbsolutePath() + "): it is a directory");
  }

  @Test
  void anUnknownLogLevelIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SYNCNODE_LOG_LEVEL", "LOUD")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("log.level: must be one of trace, debug, info, warn, error, off, got \"LOUD\"");
    assertThat(ConfigLoader.load(null, Map.of("SYNCNODE_LOG_LEVEL", "debug"))).isNotNull();
  }

  @Test
  void variableNameOfADottedPath() {
    assertThat(ConfigLoader.variableName("http.maxBodyBytes")).isEqualTo("SYNCNODE_HTTP_MAXBODYBYTES");
  }
}
