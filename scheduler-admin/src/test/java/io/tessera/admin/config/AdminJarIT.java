package io.tessera.admin.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged admin, started as people start it: {@code java -jar scheduler-admin.jar}. Catches what
 * the test classpath hides, such as the embedded ZooKeeper's run-time jars (metrics-core,
 * snappy-java) that only curator-test brings to tests.
 */
class AdminJarIT {

    private Process admin;

    @Test
    void thePackagedJarStartsWithNoConfigurationAndAnswersHealthUp() throws Exception {
        Path jar = Path.of("target", "scheduler-admin.jar").toAbsolutePath();
        assertThat(jar).as("built by the package phase").exists();
        Path dataDir = TestAdmin.newDataDir();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        int httpPort = TestAdmin.freePort();
        int zkPort = TestAdmin.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        admin = new ProcessBuilder(List.of(java, "-Xmx384m", "-jar", jar.toString(),
                "--server.port=" + httpPort, "--tessera.zookeeper.embedded-port=" + zkPort,
                "--tessera.data-dir=" + dataDir))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class)
                .failFast("the admin exited", () -> !admin.isAlive())
                .untilAsserted(() -> {
                    HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).contains("\"status\":\"UP\"");
                });
        } catch (RuntimeException e) {
            throw new AssertionError("the packaged admin did not come up healthy (" + e.getMessage() + "); the end of its log "
                    + log + ":\n" + tail(log), e);
        }

        assertThat(dataDir.resolve("tessera.mv.db")).exists();
        assertThat(dataDir.resolve("cluster-secret")).exists();
        admin.destroy();
        assertThat(admin.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        assertThat(Files.readString(log)).doesNotContain("NoClassDefFoundError").contains("Embedded ZooKeeper on port "
                + zkPort + " stopped");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (admin != null && admin.isAlive()) {
            admin.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }


    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
