package io.syncnode.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The pages of one paging loop, as a client would have received them. */
public final class PulledPages {
  public final List<JsonObject> pages = new ArrayList<>();
  public final List<String> memoryIds = new ArrayList<>();
  public final List<String> sessionIds = new ArrayList<>();
  public final List<String> edgeIds = new ArrayList<>();

  void add(JsonObject page) {
    pages.add(page);
    collect(page.getJsonArray("memories"), memoryIds);
    collect(page.getJsonArray("sessions"), sessionIds);
    collect(page.getJsonArray("edges"), edgeIds);
  }

  private static void collect(JsonArray entities, List<String> ids) {
    for (int i = 0; i < entities.size(); i++) {
      ids.add(entities.getJsonObject(i).getString("id"));
    }
  }

  public int pageSize(int page) {
    JsonObject p = pages.get(page);
    return p.getJsonArray("memories").size() + p.getJsonArray("sessions").size() + p.getJsonArray("edges").size();
  }

  /** The server_timestamp of the last page: what the client stores as its next since_timestamp. */
  public String lastServerTimestamp() {
    assertThat(pages).isNotEmpty();
    return pages.get(pages.size() - 1).getString("server_timestamp");
  }
}
