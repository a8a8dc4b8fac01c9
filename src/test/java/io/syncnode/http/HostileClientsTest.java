package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static io.syncnode.support.Entities.clock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.syncnode.support.ApiKeys;
import io.syncnode.support.Await;
import io.syncnode.support.ClusterMembers;
import io.syncnode.support.Entities;
import io.syncnode.support.SlowClients;
import io.syncnode.support.SseListener;
import io.syncnode.support.TestDatabase;
import io.syncnode.support.TestNode;
import io.syncnode.support.WsListener;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that try to make a node hold connections, guess keys, keep streams of a revoked key, or
 * open more streams than their share. Each attack uses a loopback address of its own (127.0.0.x), so
 * that the limits per address of one do not touch another; each checks that the node stored nothing
 * for it and answered /health meanwhile.
 */
class HostileClientsTest {
  private static final Map<String, String> ENV = Map.of(
      "SYNCNODE_AUTH_MODE", "api-key",
      "SYNCNODE_AUTH_CACHETTLMS", "1000",
      "SYNCNODE_AUTH_FAILURERATE", "1",
      "SYNCNODE_AUTH_FAILUREBURST", "5",
      "SYNCNODE_HTTP_HEADERTIMEOUTMS", "1500",
      "SYNCNODE_HTTP_KEEPALIVETIMEOUTMS", "1500",
      "SYNCNODE_HTTP_BODYIDLETIMEOUTMS", "1000",
      "SYNCNODE_LIVE_MAXCONNECTIONSPERTENANT", "3",
      "SYNCNODE_LIVE_PINGINTERVALMS", "300");

  private static Vertx vertx;
  private static TestDatabase db;
  private static TestNode node;
  private static String alice;
  private static String carol;
  private static String dave;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(HostileClientsTest.class);
    alice = ApiKeys.create(db, "alice");
    carol = ApiKeys.create(db, "carol");
    dave = ApiKeys.create(db, "dave");
    vertx = Vertx.vertx();
    node = TestNode.startAndWait(vertx, db, ENV);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.stopAndDrop(node, vertx, db);
  }

  private static String fingerprint() throws Exception {
    return await(TestDatabase.fingerprint(node.inspect));
  }

  private static void assertHealthy(TestNode target) throws Exception {
    assertThat(await(target.client.get("/health").send()).statusCode()).isEqualTo(200);
  }

  private static void awaitValue(LongSupplier value, long expected, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (value.getAsLong() != expected) {
      if (System.nanoTime() > deadline) {
        fail(what + ": " + value.getAsLong() + ", expected " + expected);
      }
      Thread.sleep(20);
    }
  }

  private static void awaitAtLeast(LongSupplier value, long expected, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (value.getAsLong() < expected) {
      if (System.nanoTime() > deadline) {
        fail(what + ": " + value.getAsLong() + ", expected at least " + expected);
      }
      Thread.sleep(20);
    }
  }

  private static String head(String key) {
    return "POST /api/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: " + key + "\r\n";
  }

  @Test
  void slowRequestHeadsAreClosedAtTheHeaderTimeoutWhileOthersAreServed() throws Exception {
    String before = fingerprint();
    long timedOut = node.node.connections().timedOut();
    int open = node.node.connections().open();
    try (SlowClients slow = SlowClients.open(node.port, "127.0.0.2", 200, "", head(alice) + "X-Pad: " + "a".repeat(500))) {
      slow.tick();
      awaitAtLeast(() -> node.node.connections().open(), open + 200, "connections open");
      assertHealthy(node);
      assertThat(slow.awaitAllClosed(100, 30)).as("all closed by the node").isTrue();
      assertThat(slow.received(0)).isEmpty();
    }
    assertThat(node.node.connections().timedOut() - timedOut).isGreaterThanOrEqualTo(200);
    assertThat(fingerprint()).isEqualTo(before);
    assertHealthy(node);
  }

  @Test
  void slowRequestBodiesAreClosedAtTheBodyTimeoutAndStoreNothing() throws Exception {
    String before = fingerprint();
    long timedOut = node.node.connections().timedOut();
    String body = "{\"device_id\":\"slow\",\"memories\":[" + " ".repeat(2000) + "]}";
    try (SlowClients slow = SlowClients.open(node.port, "127.0.0.3", 100,
        head(alice) + "Content-Length: " + body.length() + "\r\n\r\n", body)) {
      slow.tick();
      awaitAtLeast(() -> node.node.connections().open(), 100, "connections open");
      assertHealthy(node);
      assertThat(slow.awaitAllClosed(100, 30)).as("all closed by the node").isTrue();
    }
    assertThat(node.node.connections().timedOut() - timedOut).isGreaterThanOrEqualTo(100);
    assertThat(fingerprint()).isEqualTo(before);
    assertHealthy(node);
  }

  @Test
  void idleConnectionsAreClosedBeforeAndBetweenRequests() throws Exception {
    String before = fingerprint();
    try (SlowClients silent = SlowClients.open(node.port, "127.0.0.7", 20, "", "");
         SlowClients keptAlive = SlowClients.open(node.port, "127.0.0.7", 20, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", "")) {
      assertHealthy(node);
      assertThat(silent.awaitAllClosed(100, 30)).as("silent connections closed").isTrue();
      assertThat(keptAlive.awaitAllClosed(100, 30)).as("idle kept-alive connections closed").isTrue();
      assertThat(keptAlive.received(0)).startsWith("HTTP/1.1 200");
      assertThat(silent.received(0)).isEmpty();
    }
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void connectionsPastTheCapAreAnswered503AndTheNodeServesAgainOnceTheyClose() throws Exception {
    Map<String, String> env = new HashMap<>(ENV);
    env.put("SYNCNODE_HTTP_MAXCONNECTIONS", "4");
    env.put("SYNCNODE_HTTP_HEADERTIMEOUTMS", "60000");
    Vertx capVertx = Vertx.vertx();
    TestNode capped = TestNode.startAndWait(capVertx, db, env);
    try {
      String before = fingerprint();
      try (SlowClients holders = SlowClients.open(capped.port, "127.0.0.8", 4, "", "")) {
        awaitValue(() -> capped.node.connections().open(), 4, "connections held");
        try (SlowClients late = SlowClients.open(capped.port, "127.0.0.8", 1, "", "")) {
          assertThat(late.awaitAllClosed(50, 20)).isTrue();
          assertThat(late.received(0)).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After: 1")
              .contains("\"error\":\"too_many_connections\"");
        }
        assertThat(capped.node.connections().refused()).isEqualTo(1);
        assertHealthy(node);
      }
      awaitValue(() -> capped.node.connections().open(), 0, "connections after the holders left");
      assertHealthy(capped);
      assertThat(fingerprint()).isEqualTo(before);
    } finally {
      TestNode.stopAndClose(capped, capVertx);
    }
  }

  @Test
  void http2IsServedWhenConfigured() throws Exception {
    Map<String, String> env = new HashMap<>(ENV);
    env.put("SYNCNODE_HTTP_HTTP2", "true");
    Vertx h2Vertx = Vertx.vertx();
    TestNode h2Node = TestNode.startAndWait(h2Vertx, db, env);
    try {
      var h2 = h2Vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
          .setHttp2ClearTextUpgrade(false));
      var response = await(h2.request(HttpMethod.GET, h2Node.port, "127.0.0.1", "/health")
          .compose(request -> request.send()));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
    } finally {
      TestNode.stopAndClose(h2Node, h2Vertx);
    }
  }

  @Test
  void http2IsOffUnlessConfigured() throws Exception {
    var h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    try {
      var response = await(h2.request(HttpMethod.GET, node.port, "127.0.0.1", "/health")
          .compose(request -> request.send()));
      assertThat(response.version()).isNotEqualTo(HttpVersion.HTTP_2);
    } catch (Exception refused) {
      // the HTTP/1.1 server does not speak it: refused, as it should be
    }
    assertHealthy(node);
  }

  private static WebClient clientFrom(String localAddress) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.port)
        .setLocalAddress(localAddress));
  }

  /** A request that stores nothing: the status of a device never registered (404 once the key passes). */
  private static HttpResponse<Buffer> status(WebClient client, String key) throws Exception {
    return await(client.post("/api/sync/status").putHeader("X-API-Key", key).putHeader("Content-Type", "application/json")
        .sendBuffer(new JsonObject().put("device_id", "never-registered").toBuffer()));
  }

  private static String unknownKey() {
    return "snk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "_" + "A".repeat(43);
  }

  @Test
  void aRepeatedUnknownKeyIsLookedUpOnceAndAnAddressThatKeepsGuessingGets429() throws Exception {
    String before = fingerprint();
    WebClient guesser = clientFrom("127.0.0.4");
    try {
      String guess = unknownKey();
      long lookups = node.node.keyLookups();
      for (int i = 0; i < 5; i++) {
        HttpResponse<Buffer> refused = status(guesser, guess);
        assertThat(refused.statusCode()).isEqualTo(401);
      }
      assertThat(node.node.keyLookups() - lookups).as("lookups of one unknown key").isEqualTo(1);

      HttpResponse<Buffer> limited = status(guesser, unknownKey());
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(Integer.parseInt(limited.getHeader("Retry-After"))).isPositive();
      assertThat(limited.bodyAsJsonObject().getString("error")).isEqualTo("too_many_failed_authentications");
      assertThat(node.node.keyLookups() - lookups).as("no lookup for a limited address").isEqualTo(1);

      // a key the node knows as valid still passes from that address
      assertThat(status(node.client, alice).statusCode()).isEqualTo(404);
      assertThat(status(guesser, alice).statusCode()).isEqualTo(404);
      assertHealthy(node);
    } finally {
      guesser.close();
    }
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void guessesOfManyKeyIdsCostOneLookupEachUntilTheAddressIsLimited() throws Exception {
    String before = fingerprint();
    WebClient guesser = clientFrom("127.0.0.6");
    try {
      long lookups = node.node.keyLookups();
      int refused = 0;
      int limited = 0;
      for (int i = 0; i < 20; i++) {
        int status = status(guesser, unknownKey()).statusCode();
        if (status == 401) {
          refused++;
        } else {
          assertThat(status).isEqualTo(429);
          limited++;
        }
      }
      assertThat(refused).isGreaterThanOrEqualTo(5);
      assertThat(limited).isGreaterThanOrEqualTo(10);
      assertThat(node.node.keyLookups() - lookups).isEqualTo(refused);
      assertHealthy(node);
    } finally {
      guesser.close();
    }
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void aWrongSecretOfAnExistingKeyIdIsRefusedExactlyAsAnUnknownId() throws Exception {
    WebClient guesser = clientFrom("127.0.0.9");
    try {
      String wrongSecret = alice.substring(0, 21) + "B".repeat(43);
      HttpResponse<Buffer> known = status(guesser, wrongSecret);
      HttpResponse<Buffer> unknown = status(guesser, unknownKey());
      assertThat(known.statusCode()).isEqualTo(401);
      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(known.bodyAsString()).isEqualTo(unknown.bodyAsString());
      assertThat(known.getHeader("WWW-Authenticate")).isEqualTo(unknown.getHeader("WWW-Authenticate"));
    } finally {
      guesser.close();
    }
  }

  @Test
  void aTenantGetsAtMostItsLiveConnectionsPerNodeAndRefusalsLeakNothing() throws Exception {
    Map<String, String> key = Map.of("X-API-Key", carol);
    try (SseListener first = SseListener.started(vertx, node.port, key);
         SseListener second = SseListener.started(vertx, node.port, key);
         WsListener socket = WsListener.connected(vertx, node.port, "/ws/memories?api_key=" + carol)) {
      assertThat(node.node.live().open("carol")).isEqualTo(3);
      String before = fingerprint();
      try (SseListener refused = SseListener.open(vertx, node.port, "/api/sync/events", key)) {
        assertThat(refused.status()).isEqualTo(429);
      }
      try (WsListener refused = WsListener.connect(vertx, node.port, "/ws/memories?api_key=" + carol)) {
        assertThat(refused.awaitClose()).isEqualTo((short) 4029);
        assertThat(refused.closeReason()).isEqualTo("too many live connections for this tenant");
      }
      try (SseListener other = SseListener.started(vertx, node.port, Map.of("X-API-Key", dave))) {
        assertThat(node.node.live().open("dave")).isEqualTo(1);
      }
      assertThat(node.node.live().open("carol")).isEqualTo(3);
      assertThat(fingerprint()).isEqualTo(before);
      assertHealthy(node);

      // live streams outlast every connection deadline, and still carry changes
      Thread.sleep(3_500);
      var pushed = await(node.client.post("/api/sync/push").putHeader("X-API-Key", carol)
          .putHeader("Content-Type", "application/json")
          .sendBuffer(Entities.pushMemories("laptop", Entities.memory("late", "after the deadlines",
              clock("laptop", 1))).toBuffer()));
      assertThat(pushed.statusCode()).isEqualTo(200);
      assertThat(first.next().json().getString("id")).isEqualTo("late");
      assertThat(socket.next().getString("type")).isEqualTo("memory_created");
    }
    awaitValue(() -> node.node.live().open("carol"), 0, "carol's live connections after they closed");
    awaitValue(() -> node.node.live().open("dave"), 0, "dave's live connections after they closed");
  }

  @Test
  void aRevokedKeyLosesItsStreamsOnEveryNodeOfTheCluster() throws Exception {
    TestDatabase clusterDb = TestDatabase.create(HostileClientsTest.class);
    String doomed = ApiKeys.create(clusterDb, "erin");
    String other = ApiKeys.create(clusterDb, "erin");
    Map<String, String> env = new HashMap<>(ENV);
    env.put("SYNCNODE_AUTH_CACHETTLMS", "2000");
    ClusterMembers cluster = ClusterMembers.start(2);
    TestNode a = null;
    TestNode b = null;
    try {
      a = await(TestNode.start(cluster, 0, clusterDb, env));
      b = await(TestNode.start(cluster, 1, clusterDb, env));
      try (SseListener streamOnB = SseListener.started(b.vertx, b.port, Map.of("X-API-Key", doomed));
           WsListener socketOnB = WsListener.connected(b.vertx, b.port, "/ws/memories?api_key=" + doomed);
           SseListener streamOnA = SseListener.started(a.vertx, a.port, Map.of("X-API-Key", doomed))) {
        push(a, other, "before");
        assertThat(streamOnB.next().json().getString("id")).isEqualTo("before");
        assertThat(streamOnA.next().json().getString("id")).isEqualTo("before");
        assertThat(socketOnB.next().getString("type")).isEqualTo("memory_created");

        ApiKeys.revoke(clusterDb, doomed);
        long revokedAt = System.nanoTime();
        assertThat(socketOnB.awaitClose()).isEqualTo((short) 4001);
        assertThat(socketOnB.closeReason()).isEqualTo("API key revoked");
        SseListener.Event last = streamOnB.next(event -> event.name().equals("error"));
        assertThat(last.json().getString("error")).isEqualTo("unauthorized");
        streamOnB.awaitEnd();
        assertThat(streamOnA.next(event -> event.name().equals("error")).json().getString("error"))
            .isEqualTo("unauthorized");
        streamOnA.awaitEnd();
        // bounded wait, not a timing floor: the re-check runs every auth.cacheTtlMs / 2
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt)).isLessThan(15_000);

        String before = await(TestDatabase.fingerprint(a.inspect));
        push(a, other, "after");
        var refused = await(b.client.post("/api/sync/push").putHeader("X-API-Key", doomed)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Entities.pushMemories("laptop", Entities.memory("never", "x", clock("laptop", 1))).toBuffer()));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(await(TestDatabase.fingerprint(a.inspect))).isNotEqualTo(before);
        assertThat(await(a.post("/api/sync/pull", Entities.pull("r", null, 10, 0))).statusCode()).isEqualTo(401);
        assertThat(streamOnB.lastEventId()).isNotNull();
        assertHealthy(a);
        assertHealthy(b);
      }
      TestNode na = a;
      TestNode nb = b;
      awaitValue(() -> na.node.live().open(), 0, "live connections of node A");
      awaitValue(() -> nb.node.live().open(), 0, "live connections of node B");
      assertThat(a.node.live().endedByRevocation() + b.node.live().endedByRevocation()).isEqualTo(3);
    } finally {
      try {
        if (a != null) {
          await(a.stop());
        }
        if (b != null) {
          await(b.stop());
        }
        cluster.close();
      } finally {
        clusterDb.close();
      }
    }
  }

  private static void push(TestNode target, String key, String id) throws Exception {
    var response = await(target.client.post("/api/sync/push").putHeader("X-API-Key", key)
        .putHeader("Content-Type", "application/json")
        .sendBuffer(Entities.pushMemories("laptop", Entities.memory(id, id, clock("laptop", 1))).toBuffer()));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  private void certificate(Path cert, Path key, String name) throws Exception {
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=" + name, "-keyout", key.toString(), "-out", cert.toString())
        .redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes());
    assertThat(openssl.waitFor()).as(output).isZero();
  }

  private static String servedCertificateName(int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }

  @Test
  void httpsAndWssWithAPemCertificateThatIsReadAgainWhenReplaced() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    certificate(cert, key, "first");
    Map<String, String> env = new HashMap<>(ENV);
    env.put("SYNCNODE_HTTP_TLS_CERTPATH", cert.toString());
    env.put("SYNCNODE_HTTP_TLS_KEYPATH", key.toString());
    Vertx tlsVertx = Vertx.vertx();
    TestNode secure = TestNode.startAndWait(tlsVertx, db, env);
    WebClient https = WebClient.create(tlsVertx, new WebClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2)
        .setDefaultHost("127.0.0.1").setDefaultPort(secure.port));
    try {
      String before = fingerprint();
      HttpResponse<Buffer> health = await(https.get("/health").send());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.version()).as("HTTP/2 is off unless configured").isEqualTo(HttpVersion.HTTP_1_1);
      assertThat(await(https.post("/api/sync/status").putHeader("X-API-Key", alice)
          .putHeader("Content-Type", "application/json")
          .sendBuffer(new JsonObject().put("device_id", "never-registered").toBuffer())).statusCode()).isEqualTo(404);

      var wss = tlsVertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setTrustAll(true)
          .setVerifyHost(false));
      var socket = wss.webSocket();
      java.util.concurrent.BlockingQueue<JsonObject> messages = new java.util.concurrent.LinkedBlockingQueue<>();
      socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
      await(socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(secure.port)
          .setURI("/ws/memories?api_key=" + alice)));
      assertThat(Await.next(messages, message -> !"ping".equals(message.getString("type")), 20, "a message")
          .getString("type")).isEqualTo("connected");
      await(socket.close());

      // plain HTTP on the HTTPS port gets no answer
      WebClient plain = WebClient.create(tlsVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(secure.port));
      try {
        HttpResponse<Buffer> answer = await(plain.get("/health").send());
        fail("plain HTTP answered " + answer.statusCode());
      } catch (Exception expected) {
        // the TLS handler closes a connection that does not start a handshake
      } finally {
        plain.close();
      }

      assertThat(servedCertificateName(secure.port)).isEqualTo("CN=first");
      Path cert2 = dir.resolve("cert2.pem");
      Path key2 = dir.resolve("key2.pem");
      certificate(cert2, key2, "second");
      Files.copy(key2, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(cert2, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      await(secure.node.reloadCertificates());
      assertThat(servedCertificateName(secure.port)).isEqualTo("CN=second");

      // replaced files are noticed without a call
      Path cert3 = dir.resolve("cert3.pem");
      Path key3 = dir.resolve("key3.pem");
      certificate(cert3, key3, "third");
      Files.copy(key3, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(cert3, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!servedCertificateName(secure.port).equals("CN=third") && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(servedCertificateName(secure.port)).isEqualTo("CN=third");
      assertThat(await(https.get("/health").send()).statusCode()).isEqualTo(200);
      assertThat(fingerprint()).isEqualTo(before);
    } finally {
      https.close();
      TestNode.stopAndClose(secure, tlsVertx);
    }
  }
}
