package io.tessera.admin.config;

import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.Role;
import io.tessera.core.placement.PlacementStrategy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.zookeeper.CreateMode;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin as it starts with no configuration but its own data directory and a free ZooKeeper port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminZeroSetupTest {

    private static Path dataDir;

    @DynamicPropertySource
    static void isolated(DynamicPropertyRegistry registry) {
        dataDir = TestAdmin.isolate(registry);
    }

    @Autowired
    Flyway flyway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CuratorFramework curator;
    @Autowired
    ClusterSecret secret;
    @Autowired
    TesseraProperties properties;
    @Autowired
    EmbeddedZooKeeper embedded;
    @Autowired
    TestRestTemplate http;
    @Autowired
    ApiTokenStore tokens;

    @Test
    void flywayAppliedTheSchemaToAnH2FileUnderTheDataDir() throws Exception {
        assertThat(Arrays.stream(flyway.info().applied()).map(MigrationInfo::getVersion).map(Object::toString))
                .contains("1");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM job_run", Long.class)).isZero();
        String url = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getURL());
        assertThat(url).startsWith("jdbc:h2:file:" + dataDir);
        assertThat(dataDir.resolve("tessera.mv.db")).exists();
    }

    @Test
    void aClusterSecretWasGeneratedAndKeptOwnerOnly() throws Exception {
        Path file = dataDir.resolve("cluster-secret");
        assertThat(secret.file()).isEqualTo(file.toAbsolutePath().normalize());
        assertThat(Files.readString(file).trim()).isEqualTo(secret.value());
        assertThat(secret.value()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(secret.toString()).doesNotContain(secret.value());
    }

    @Test
    void curatorIsConnectedToTheEmbeddedZooKeeperUnderTheNamespace() throws Exception {
        assertThat(embedded.port()).isNotEqualTo(2181).isPositive();
        assertThat(embedded.baseDir()).isEqualTo(dataDir.resolve("zookeeper"));
        assertThat(curator.getState()).isEqualTo(CuratorFrameworkState.STARTED);
        assertThat(curator.getZookeeperClient().isConnected()).isTrue();
        assertThat(curator.getNamespace()).isEqualTo("tessera");
        curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath("/probe/node");
        assertThat(curator.usingNamespace(null).checkExists().forPath("/tessera/probe/node")).isNotNull();
    }

    @Test
    void healthIsUpWithDatabaseAndZooKeeper() {
        String token = ApiTokenStore.generate();
        tokens.create("zero-setup-health", token, Role.VIEWER, "test");
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(token);
        ResponseEntity<Map> response = http.exchange("/actuator/health", HttpMethod.GET, new HttpEntity<>(headers), Map.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).containsEntry("status", "UP");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> components = (Map<String, Map<String, Object>>) response.getBody().get("components");
        assertThat(components.get("zookeeper")).containsEntry("status", "UP");
        assertThat(components.get("zookeeper").get("details")).asString().contains("embedded=true");
        assertThat(components.get("db")).containsEntry("status", "UP");
    }

    @Test
    void engineDefaultsAreTheDocumentedOnes() {
        TesseraProperties.Engine engine = properties.engine();
        assertThat(engine.lookAhead()).isEqualTo(Duration.ofMillis(2500));
        assertThat(engine.tick()).isEqualTo(Duration.ofMillis(50));
        assertThat(engine.misfireThreshold()).isEqualTo(Duration.ofSeconds(5));
        assertThat(engine.catchUpLimit()).isEqualTo(100);
        assertThat(engine.placement()).isEqualTo(PlacementStrategy.PACK);
        assertThat(engine.dispatchTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(engine.dispatchLead()).isEqualTo(Duration.ofMillis(200));
        assertThat(engine.dispatchLeadPerShard()).isEqualTo(Duration.ofNanos(100_000));
        assertThat(engine.maxBatchesInFlight()).isEqualTo(2);
        assertThat(engine.finishedRunRetention()).isEqualTo(Duration.ofSeconds(30));
        assertThat(engine.reconcileInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(engine.retryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(engine.rendezvousBasePort()).isEqualTo(29500);
        assertThat(engine.rendezvousPortCount()).isEqualTo(500);
        assertThat(engine.adminId()).isNotBlank();
        assertThat(properties.zookeeper().sessionTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(properties.api().bootstrapToken()).isNull();
    }
}
