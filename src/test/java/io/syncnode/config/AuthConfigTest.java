package io.syncnode.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthConfigTest {

  @Test
  void noAuthenticationIsRefusedBeyondLoopbackUnlessAllowed() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SYNCNODE_HTTP_HOST", "0.0.0.0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.mode")
        .hasMessageContaining("auth.allowUnauthenticated");
    NodeConfig allowed = ConfigLoader.load(null,
        Map.of("SYNCNODE_HTTP_HOST", "0.0.0.0", "SYNCNODE_AUTH_ALLOWUNAUTHENTICATED", "true"));
    assertThat(allowed.auth().mode()).isEqualTo(NodeConfig.AuthMode.NONE);
    NodeConfig keyed = ConfigLoader.load(null,
        Map.of("SYNCNODE_HTTP_HOST", "0.0.0.0", "SYNCNODE_AUTH_MODE", "api-key"));
    assertThat(keyed.auth().mode()).isEqualTo(NodeConfig.AuthMode.API_KEY);
    assertThat(ConfigLoader.load(null, Map.of()).auth().mode()).isEqualTo(NodeConfig.AuthMode.NONE);
  }

  @Test
  void anUnknownModeIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SYNCNODE_AUTH_MODE", "password")))
        .hasMessageContaining("auth.mode").hasMessageContaining("password");
  }
}
