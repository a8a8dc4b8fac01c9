package io.syncnode.http;

import static io.syncnode.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncnode.support.NodeTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Metadata comes back as it was sent: numbers keep their text (exponents, trailing zeros), keys
 * their order, in pulls, diffs and the event stream alike.
 */
class MetadataNumbersTest extends NodeTestBase {
  private static final String METADATA =
      "{\"avogadro\":6.02e+23,\"huge\":1.5e+300,\"one\":1.0,\"tiny\":1E-7,\"zero\":-0.0,\"int\":7,"
      + "\"big\":9223372036854775807,\"list\":[2.50,{\"b\":1,\"a\":2.0}],\"text\":\"6.02e+23\"}";

  private static String post(String endpoint, String body) throws Exception {
    HttpResponse<Buffer> response = await(node.postRaw("/api/sync/" + endpoint, body, "application/json"));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsString();
  }

  @Test
  void numbersInMetadataRoundTripAsSent() throws Exception {
    String device = unique("dev");
    String ns = unique("ns");
    String memory = unique("m");
    String session = unique("s");
    String push = "{\"device_id\":\"" + device + "\",\"memories\":[{\"id\":\"" + memory + "\",\"content\":\"c\","
        + "\"namespace_id\":\"" + ns + "\",\"vector_clock\":{\"" + device + "\":1},\"metadata\":" + METADATA + "}],"
        + "\"sessions\":[{\"id\":\"" + session + "\",\"namespace_id\":\"" + ns + "\",\"metadata\":" + METADATA + "}],"
        + "\"edges\":[{\"from_id\":\"" + memory + "\",\"to_id\":\"x\",\"relation\":\"r\",\"metadata\":" + METADATA
        + "}]}";
    post("push", push);

    String pulled = post("pull", "{\"device_id\":\"" + unique("reader") + "\",\"namespace_ids\":[\"" + ns + "\"]}");
    JsonObject page = new JsonObject(pulled);
    assertThat(page.getJsonArray("memories")).hasSize(1);
    assertThat(page.getJsonArray("sessions")).hasSize(1);
    // the memory, the session and the edge (pulls do not filter edges by namespace)
    assertThat(pulled.split(java.util.regex.Pattern.quote("\"metadata\":" + METADATA), -1)).hasSize(1 + 3);
    Object avogadro = page.getJsonArray("memories").getJsonObject(0).getJsonObject("metadata").getValue("avogadro");
    assertThat(avogadro).isInstanceOf(Double.class).isEqualTo(6.02e23);

    String diff = post("diff", "{\"device_id\":\"" + device + "\",\"namespace_ids\":[\"" + ns + "\"]}");
    // the memory, the session and the edge (filtered by the namespace of the memory it links)
    assertThat(diff.split(java.util.regex.Pattern.quote("\"metadata\":" + METADATA), -1)).hasSize(1 + 3);
  }
}
