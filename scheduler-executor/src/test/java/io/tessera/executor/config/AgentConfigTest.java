package io.tessera.executor.config;

import io.tessera.core.validation.ValidationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigTest {

    private static final String SECRET = "0123456789abcdef";

    @Test
    void defaultsWorkOnALaptop() {
        AgentConfig config = AgentConfig.builder().secret(SECRET).build();
        assertThat(config.zookeeper()).isEqualTo("127.0.0.1:2181");
        assertThat(config.namespace()).isEqualTo("tessera");
        assertThat(config.group()).isEqualTo("default");
        assertThat(config.port()).isEqualTo(9999);
        assertThat(config.allowCommand()).isFalse();
        assertThat(config.slots()).as("a burst of a second's fires, held without a thread each").isEqualTo(1_024);
        assertThat(config.detectDevices()).isTrue();
        assertThat(config.killGrace()).as("stops finish well within the session timeout")
                .isLessThan(config.sessionTimeout().dividedBy(3));
        assertThat(config.logDir()).isEqualTo(config.dataDir().resolve("logs"));
        assertThat(config.spoolDir()).isEqualTo(config.dataDir().resolve("spool"));
    }

    @Test
    void theSecretIsRequired() {
        assertThatThrownBy(() -> AgentConfig.builder().build()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("secret");
        assertThatThrownBy(() -> AgentConfig.builder().secret("short").build()).hasMessageContaining("16");
    }

    @Test
    void badValuesAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> AgentConfig.builder().secret(SECRET).group("no/slash").build()).hasMessageContaining("group");
        assertThatThrownBy(() -> AgentConfig.builder().secret(SECRET).slots(0).build()).hasMessageContaining("slots");
        assertThatThrownBy(() -> AgentConfig.builder().secret(SECRET).port(70000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> AgentConfig.builder().secret(SECRET).adminUrl("ftp://x").build()).hasMessageContaining("adminUrl");
        assertThatThrownBy(() -> AgentConfig.builder().secret(SECRET).sessionTimeout(Duration.ZERO).build())
                .hasMessageContaining("sessionTimeout");
    }

    @Test
    void acceleratorSpecsAreParsedAndChecked() {
        AcceleratorSpec spec = AcceleratorSpec.parse("GPU:nvidia:H100:81559:2");
        assertThat(spec).isEqualTo(new AcceleratorSpec("GPU", "nvidia", "H100", 81559, 2));
        assertThat(spec.devices(3)).extracting(d -> d.index()).containsExactly(3, 4);
        assertThatThrownBy(() -> AcceleratorSpec.parse("GPU:nvidia:H100:81559")).hasMessageContaining("KIND:VENDOR:MODEL:MEMORY_MB:COUNT");
        assertThatThrownBy(() -> AcceleratorSpec.parse("GPU:nvidia:H100:lots:2")).hasMessageContaining("MEMORY_MB");
        assertThatThrownBy(() -> AcceleratorSpec.parse("GPU:nvidia:H100:81559:0")).hasMessageContaining("COUNT");
        assertThatThrownBy(() -> AcceleratorSpec.parse("9pu:nvidia:H100:81559:1")).hasMessageContaining("device kind");
    }
}
