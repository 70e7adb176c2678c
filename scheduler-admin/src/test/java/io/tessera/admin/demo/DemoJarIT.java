package io.tessera.admin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.admin.config.TestAdmin;
import io.tessera.admin.ui.FormLogin;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's first command: the packaged jar with {@code --demo}, as a separate process. The
 * in-process agent must run the sample jobs: the cron job, the 4-shard GPU inference job and the
 * 2-shard gang training job all get SUCCEEDED runs, seen through the HTTP API.
 */
class DemoJarIT {

    private static final String TOKEN = "demo-it-bootstrap-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Process admin;

    @Test
    void theDemoRunsItsSampleJobs() throws Exception {
        Path jar = Path.of("target", "scheduler-admin.jar").toAbsolutePath();
        assertThat(jar).as("built by the package phase").exists();
        Path dataDir = TestAdmin.newDataDir();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        int httpPort = TestAdmin.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        admin = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar.toString(), "--demo",
                "--server.port=" + httpPort, "--tessera.zookeeper.embedded-port=" + TestAdmin.freePort(),
                "--tessera.data-dir=" + dataDir, "--tessera.advertised-host=127.0.0.1",
                "--tessera.api.bootstrap-token=" + TOKEN))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + httpPort;
        try {
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .failFast("the admin exited", () -> !admin.isAlive())
                    .untilAsserted(() -> {
                        for (String name : List.of("demo-hello", "demo-inference", "demo-training")) {
                            JsonNode jobs = get(http, base + "/api/v1/jobs?name=" + name);
                            assertThat(jobs).as(name).hasSize(1);
                            long id = jobs.get(0).get("id").asLong();
                            JsonNode runs = get(http, base + "/api/v1/runs?status=SUCCEEDED&jobId=" + id);
                            assertThat(runs).as("SUCCEEDED runs of " + name).isNotEmpty();
                        }
                    });
        } catch (Throwable e) {
            throw new AssertionError("the demo's sample jobs did not all succeed (" + e.getMessage() + "); the end of its log "
                    + log + ":\n" + tail(log), e);
        }
        JsonNode inference = get(http, base + "/api/v1/runs?status=SUCCEEDED&jobId="
                + get(http, base + "/api/v1/jobs?name=demo-inference").get(0).get("id").asLong()).get(0);
        assertThat(inference.get("shards")).hasSize(4);
        assertThat(inference.at("/shards/0/devices/0").asText()).startsWith("GPU:");

        String output = Files.readString(log);
        assertThat(output).contains("Tessera demo is running").contains("curl");
        Matcher printed = Pattern.compile("password: (\\S+)").matcher(output);
        assertThat(printed.find()).as("the first user's generated password is printed once").isTrue();
        assertThat(FormLogin.signIn(base, "admin", printed.group(1))).as("it signs in to the UI").doesNotContain("error");
        admin.destroy();
        assertThat(admin.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }

    private static JsonNode get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
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
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
