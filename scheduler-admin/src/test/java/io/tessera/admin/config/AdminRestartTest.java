package io.tessera.admin.config;

import io.tessera.admin.TesseraAdminApplication;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starts the admin as {@code java -jar} would, with command-line options only, twice on one data
 * directory: what the first start generates, the second reuses.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminRestartTest {

    private static final String BOOTSTRAP = "bootstrap-token-for-tests-0123456789";

    @Test
    void theSecondStartReusesTheSecretTheDatabaseAndTheBootstrapToken(CapturedOutput output) throws Exception {
        Path dataDir = TestAdmin.newDataDir();
        String firstSecret;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            firstSecret = first.getBean(ClusterSecret.class).value();
            try (Connection connection = first.getBean(DataSource.class).getConnection()) {
                assertThat(connection.getMetaData().getURL()).as("the default database")
                        .startsWith("jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("tessera"));
            }
            assertThat(first.getBean(ApiTokenStore.class).findActive(BOOTSTRAP)).get()
                    .extracting(ApiTokenStore.ApiToken::role).isEqualTo(Role.ADMIN);
        }
        assertThat(dataDir.resolve("tessera.mv.db")).exists();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            assertThat(second.getBean(ClusterSecret.class).value()).isEqualTo(firstSecret);
            ApiTokenStore tokens = second.getBean(ApiTokenStore.class);
            assertThat(tokens.list()).as("stored once across restarts").singleElement().satisfies(token -> {
                assertThat(token.name()).isEqualTo("bootstrap");
                assertThat(token.revoked()).isFalse();
            });
        }
        assertThat(output.getAll().split(java.util.regex.Pattern.quote(firstSecret), -1))
                .as("the secret is printed once, when generated").hasSize(2);
        assertThat(output.getAll()).contains("cluster-secret").doesNotContain(BOOTSTRAP);
    }

    @Test
    void adminsStartingTogetherWithTheSameBootstrapTokenNeverRevokeIt() throws Exception {
        try (ConfigurableApplicationContext admin = start(TestAdmin.newDataDir())) {
            ApiTokenStore tokens = admin.getBean(ApiTokenStore.class);
            ExecutorService starts = Executors.newFixedThreadPool(4);
            try {
                for (int round = 0; round < 10; round++) {
                    String token = "bootstrap-round-" + round + "-0123456789";
                    CountDownLatch together = new CountDownLatch(1);
                    List<Future<?>> admins = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        admins.add(starts.submit(() -> {
                            together.await();
                            return TesseraConfiguration.keepBootstrapToken(token, tokens);
                        }));
                    }
                    together.countDown();
                    for (Future<?> started : admins) {
                        started.get(30, TimeUnit.SECONDS);
                    }
                    assertThat(tokens.findActive(token)).as("round " + round + ": the configured token works").isPresent();
                    assertThat(tokens.list()).as("round " + round + ": exactly one active bootstrap token")
                            .filteredOn(t -> t.name().equals("bootstrap") && !t.revoked()).hasSize(1);
                }
            } finally {
                starts.shutdownNow();
            }
        }
    }

    @Test
    void aBadSettingStopsTheStartWithAMessageThatSaysWhatToChange() {
        assertThatThrownBy(() -> start(TestAdmin.newDataDir(), "--tessera.cluster-secret=too-short").close())
                .hasStackTraceContaining("tessera.cluster-secret is 9 characters long; use at least 16");
    }

    @Test
    void aNewDatabaseBesideTheEmbeddedZooKeepersEarlierStateRefusesToStartAndSaysWhatToDelete() throws Exception {
        Path dataDir = TestAdmin.newDataDir();
        start(dataDir).close();
        java.nio.file.Files.delete(dataDir.resolve("tessera.mv.db"));

        assertThatThrownBy(() -> start(dataDir).close())
                .hasStackTraceContaining("Refusing to start")
                .hasStackTraceContaining("belongs to no cluster: it is a new database")
                .hasStackTraceContaining("delete the embedded ZooKeeper's data (" + dataDir.resolve("zookeeper") + ")");
    }

    @Test
    void pointingSpringDatasourceAtMariaDbIsAllItTakes() throws Exception {
        String database = "tessera_test_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection server = java.sql.DriverManager.getConnection(TestMariaDb.SERVER_URL, TestMariaDb.USER, TestMariaDb.PASSWORD)) {
            server.createStatement().execute("CREATE DATABASE " + database);
        }
        try (ConfigurableApplicationContext admin = start(TestAdmin.newDataDir(),
                "--spring.datasource.url=" + TestMariaDb.SERVER_URL + database,
                "--spring.datasource.username=root", "--spring.datasource.password=")) {
            try (Connection connection = admin.getBean(DataSource.class).getConnection()) {
                assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("MariaDB");
                assertThat(connection.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1 AND version = '1'").next()).isTrue();
            }
            assertThat(admin.getBean(ApiTokenStore.class).findActive(BOOTSTRAP)).isPresent();
        } finally {
            try (Connection server = java.sql.DriverManager.getConnection(TestMariaDb.SERVER_URL, TestMariaDb.USER, TestMariaDb.PASSWORD)) {
                server.createStatement().execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir, String... more) {
        String[] args = {"--tessera.data-dir=" + dataDir, "--tessera.zookeeper.embedded-port=0", "--server.port=0",
                "--tessera.api.bootstrap-token=" + BOOTSTRAP};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        return new SpringApplicationBuilder(TesseraAdminApplication.class).run(all);
    }
}
