package io.syncnode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.LocalCluster;
import io.syncnode.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cluster.minMembers=2 on three node processes: all ready while together; the node cut off from the
 * other two (they are killed) answers /ready 503 naming the member count it sees, so that a load
 * balancer routes to the majority.
 */
class MinMembersTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static TestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create(MinMembersTest.class);
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  private static HttpResponse<String> ready(int port) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theNodeCutOffFromTheOthersIsNotReady() throws Exception {
    Map<String, String> env = Map.of("SYNCNODE_CLUSTER_MINMEMBERS", "2",
        "SYNCNODE_CLUSTER_HEARTBEATTIMEOUTSECONDS", "5");
    try (LocalCluster cluster = LocalCluster.start(db, 3, env)) {
      for (int port : cluster.httpPorts) {
        assertThat(ready(port).statusCode()).isEqualTo(200);
      }
      cluster.nodes.get(1).kill();
      // one of three gone: two members left, still at cluster.minMembers
      cluster.nodes.get(0).awaitOutput("2 members", 60);
      assertThat(ready(cluster.httpPorts.get(0)).statusCode()).isEqualTo(200);
      cluster.nodes.get(2).kill();
      HttpResponse<String> alone = ready(cluster.httpPorts.get(0));
      for (int attempt = 0; attempt < 60 && alone.statusCode() == 200; attempt++) {
        Thread.sleep(500);
        alone = ready(cluster.httpPorts.get(0));
      }
      assertThat(alone.statusCode()).isEqualTo(503);
      assertThat(alone.body()).contains("the cluster has 1 member, fewer than cluster.minMembers (2)");
    }
  }
}
