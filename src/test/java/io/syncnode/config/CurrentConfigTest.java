package io.syncnode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurrentConfigTest {
  private static CurrentConfig load(Map<String, String> env) {
    return CurrentConfig.load(null, env);
  }

  @Test
  void aReloadTakesTheReloadableKeysAndKeepsTheOthers() {
    CurrentConfig current = load(Map.of());
    ConfigReload reload = current.reload(ConfigLoader.merged(null, Map.of(
        "SYNCNODE_LIMITS_ITEMSPERPUSH", "7", "SYNCNODE_AUTH_RATELIMIT", "3", "SYNCNODE_AUTH_RATEBURST", "4",
        "SYNCNODE_AUTH_CACHETTLMS", "100", "SYNCNODE_LIVE_PINGINTERVALMS", "1000", "SYNCNODE_LOG_FORMAT", "json",
        "SYNCNODE_LOG_LEVEL", "warn", "SYNCNODE_HTTP_PORT", "9999", "SYNCNODE_PG_POOLSIZE", "3",
        "SYNCNODE_PG_PASSWORD", "s3cret")));

    NodeConfig now = current.get();
    assertThat(now.limits().itemsPerPush()).isEqualTo(7);
    assertThat(now.auth().rateLimit()).isEqualTo(3);
    assertThat(now.auth().rateBurst()).isEqualTo(4);
    assertThat(now.auth().cacheTtlMs()).isEqualTo(100);
    assertThat(now.live().pingIntervalMs()).isEqualTo(1000);
    assertThat(now.log()).isEqualTo(new NodeConfig.LogConfig(NodeConfig.LogFormat.JSON, "WARN"));
    assertThat(now.http().port()).as("kept until a restart").isEqualTo(8766);
    assertThat(now.pg().poolSize()).isEqualTo(16);
    assertThat(now.pg().password()).isEmpty();
    assertThat(reload.changed()).extracting(ConfigReload.Change::key).containsExactly(
        "auth.cacheTtlMs", "auth.rateBurst", "auth.rateLimit", "limits.itemsPerPush", "live.pingIntervalMs",
        "log.format", "log.level");
    assertThat(reload.needRestart()).extracting(ConfigReload.Change::key)
        .containsExactly("http.port", "pg.password", "pg.poolSize");
    assertThat(reload.needRestart()).extracting(ConfigReload.Change::describe)
        .contains("http.port from 8766 to 9999", "pg.password from (hidden) to (hidden)");
    assertThat(reload.previous().limits().itemsPerPush()).isEqualTo(10_000);
  }

  @Test
  void theSameConfigurationAgainChangesNothingAndStillTellsTheListeners() {
    CurrentConfig current = load(Map.of("SYNCNODE_LIMITS_ITEMSPERPUSH", "7"));
    List<ConfigReload> heard = new ArrayList<>();
    current.onReload(heard::add);
    ConfigReload reload = current.reload(ConfigLoader.merged(null, Map.of("SYNCNODE_LIMITS_ITEMSPERPUSH", "7")));
    assertThat(reload.changed()).isEmpty();
    assertThat(reload.needRestart()).isEmpty();
    assertThat(heard).containsExactly(reload);
  }

  @Test
  void aKeyBackToItsValueAtStartIsAChangeAgain() {
    CurrentConfig current = load(Map.of());
    current.reload(ConfigLoader.merged(null, Map.of("SYNCNODE_HTTP_PORT", "9999")));
    ConfigReload back = current.reload(ConfigLoader.merged(null, Map.of()));
    assertThat(back.needRestart()).isEmpty();
    assertThat(current.get().http().port()).isEqualTo(8766);
  }

  @Test
  void aBadLogLevelIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> ConfigLoader.merged(null, Map.of("SYNCNODE_LOG_LEVEL", "LOUD")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("log.level").hasMessageContaining("LOUD");
  }

  @Test
  void aFixedConfigurationIsNotReloaded() {
    CurrentConfig fixed = CurrentConfig.fixed(ConfigLoader.load(null, Map.of()));
    assertThatThrownBy(() -> fixed.reload(new JsonObject())).isInstanceOf(IllegalStateException.class);
  }
}
