package io.tessera.admin.config;

import io.tessera.core.placement.PlacementStrategy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binding {@code tessera.*} as Boot does, from the relaxed names people type. */
class TesseraPropertiesTest {

    @Test
    void nothingConfiguredGivesLaptopDefaults() {
        TesseraProperties properties = bind(Map.of());

        assertThat(properties.dataDir().normalize()).isEqualTo(Path.of("data"));
        assertThat(properties.zookeeper().connect()).isEmpty();
        assertThat(properties.zookeeper().embedded()).isTrue();
        assertThat(properties.zookeeper().embeddedPort()).isEqualTo(2181);
        assertThat(properties.zookeeper().namespace()).isEqualTo("tessera");
        assertThat(properties.zookeeper().connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.zookeeper().embeddedBindAddress()).isEqualTo("127.0.0.1");
        assertThat(properties.zookeeper().auth()).as("derived from the cluster secret").isEmpty();
        assertThat(properties.clusterSecret()).isNull();
        assertThat(properties.clusterSecretFile().normalize()).isEqualTo(Path.of("data", "cluster-secret"));
        assertThat(properties.engine().placement()).isEqualTo(PlacementStrategy.PACK);
        assertThat(properties.engine().adminId()).matches("[a-z0-9][a-z0-9.\\-]*-[0-9a-f]{6}");
    }

    @Test
    void everythingCanBeSet() {
        TesseraProperties properties = bind(Map.ofEntries(
                Map.entry("tessera.data-dir", "/var/lib/tessera"),
                Map.entry("tessera.zookeeper.connect", "zk1:2181,zk2.example.com:2182,[::1]:2183"),
                Map.entry("tessera.zookeeper.namespace", "prod/tessera"),
                Map.entry("tessera.zookeeper.session-timeout", "30s"),
                Map.entry("tessera.zookeeper.embedded-bind-address", "0.0.0.0"),
                Map.entry("tessera.zookeeper.auth", "ops:zookeeper-password-0123"),
                Map.entry("tessera.cluster-secret", "0123456789abcdef"),
                Map.entry("tessera.api.bootstrap-token", "tok-0123456789abcdef"),
                Map.entry("tessera.engine.look-ahead", "20s"),
                Map.entry("tessera.engine.tick", "100ms"),
                Map.entry("tessera.engine.catch-up-limit", "5"),
                Map.entry("tessera.engine.placement", "spread"),
                Map.entry("tessera.engine.finished-run-retention", "0s"),
                Map.entry("tessera.engine.dispatch-lead-per-shard", "250us"),
                Map.entry("tessera.engine.max-batches-in-flight", "4"),
                Map.entry("tessera.engine.admin-id", "admin-a"),
                Map.entry("tessera.quotas.team-a.devices", "GPU:8:*H100*,GPU:4"),
                Map.entry("tessera.quotas.team-a.borrowing", "false"),
                Map.entry("tessera.quotas.team-b.devices", "NPU:2")));

        assertThat(properties.zookeeper().embedded()).isFalse();
        assertThat(properties.zookeeper().sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.zookeeper().embeddedBindAddress()).isEqualTo("0.0.0.0");
        assertThat(properties.zookeeper().auth()).isEqualTo("ops:zookeeper-password-0123");
        assertThat(properties.zookeeper().toString()).doesNotContain("zookeeper-password-0123");
        assertThat(properties.engine().placement()).isEqualTo(PlacementStrategy.SPREAD);
        assertThat(properties.engine().tick()).isEqualTo(Duration.ofMillis(100));
        assertThat(properties.engine().finishedRunRetention()).isZero();
        assertThat(properties.engine().dispatchLeadPerShard()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(properties.engine().maxBatchesInFlight()).isEqualTo(4);
        assertThat(properties.engine().adminId()).isEqualTo("admin-a");
        assertThat(properties.api().bootstrapToken()).isEqualTo("tok-0123456789abcdef");
        assertThat(properties.queueQuotas()).containsExactlyInAnyOrder(
                new io.tessera.core.placement.QueueQuota("team-a", java.util.List.of(new io.tessera.core.placement.QuotaLimit("GPU", 8, "*H100*"),
                        new io.tessera.core.placement.QuotaLimit("GPU", 4, null)), false),
                new io.tessera.core.placement.QueueQuota("team-b", java.util.List.of(new io.tessera.core.placement.QuotaLimit("NPU", 2, null)), true));
    }

    @Test
    void badValuesAreRefusedWithTheirPropertyName() {
        assertRefused("tessera.zookeeper.connect", "zk1:2181,,zk2", "tessera.zookeeper.connect 'zk1:2181,,zk2' is not a ZooKeeper connect string");
        assertRefused("tessera.zookeeper.connect", "zk1:99999", "has port 99999");
        assertRefused("tessera.zookeeper.connect", "zk1:abc", "is not a ZooKeeper connect string");
        assertRefused("tessera.zookeeper.embedded-port", "70000", "tessera.zookeeper.embedded-port must be a TCP port");
        assertRefused("tessera.zookeeper.namespace", "/tessera", "is not a ZooKeeper namespace");
        assertRefused("tessera.zookeeper.session-timeout", "1s", "must be between 4s and 10m");
        assertRefused("tessera.zookeeper.auth", "no-password-here",
                "tessera.zookeeper.auth is not usable: ZooKeeper credentials must be user:password");
        assertRefused("tessera.zookeeper.auth", "ops:short", "password must be at least 16 characters");
        assertRefused("tessera.zookeeper.embedded-bind-address", "my_host", "is not an address to listen on");
        assertRefused("tessera.cluster-secret", "short", "tessera.cluster-secret is 5 characters long; use at least 16");
        assertRefused("tessera.api.bootstrap-token", "short", "tessera.api.bootstrap-token is 5 characters long");
        assertRefused("tessera.engine.tick", "0ms", "tessera.engine.tick must be a positive duration");
        assertRefused("tessera.engine.tick", "1m", "must not be longer than tessera.engine.look-ahead");
        assertRefused("tessera.engine.catch-up-limit", "-1", "tessera.engine.catch-up-limit must be between 0 and 100000");
        assertRefused("tessera.engine.admin-id", "a b", "is not a valid id");
        assertRefused("tessera.engine.dispatch-lead-per-shard", "1s", "tessera.engine.dispatch-lead-per-shard must be between 0 and 10ms");
        assertRefused("tessera.engine.max-batches-in-flight", "0", "tessera.engine.max-batches-in-flight must be between 1 and 64");
        assertRefused("tessera.quotas.team-a.devices", "GPU", "tessera.quotas.team-a.devices");
        assertRefused("tessera.quotas.team-a.devices", "GPU", "KIND:COUNT[:MODEL]");
        assertRefused("tessera.quotas.team-a.devices", "GPU:lots", "'lots'");
        assertRefused("tessera.quotas.team-a.borrowing", "true", "tessera.quotas.team-a.devices is empty");
    }

    private static void assertRefused(String name, String value, String message) {
        assertThatThrownBy(() -> bind(Map.of(name, value))).as(name + "=" + value)
                .isInstanceOf(BindException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause().hasMessageContaining(message);
    }

    private static TesseraProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tessera", TesseraProperties.class);
    }
}
