package io.tessera.admin.ui.e2e;

import io.tessera.admin.config.TestAdmin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged admin jar ({@code target/scheduler-admin.jar}) as its own process, with {@code --demo}. */
final class PackagedAdmin implements AutoCloseable {

    final String baseUrl;
    final Path log;
    private final Process process;

    private PackagedAdmin(String baseUrl, Path log, Process process) {
        this.baseUrl = baseUrl;
        this.log = log;
        this.process = process;
    }

    /** Starts the demo with this first admin password and waits until the UI answers. */
    static PackagedAdmin startDemo(String adminPassword) throws IOException {
        return start(TestAdmin.newDataDir(), adminPassword, List.of("--demo"));
    }

    /** Starts the admin on that data directory with extra options and waits until the UI answers. */
    static PackagedAdmin start(Path dataDir, String adminPassword, List<String> options) throws IOException {
        Path jar = Path.of("target", "scheduler-admin.jar").toAbsolutePath();
        assertThat(jar).as("built by the package phase").exists();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + System.nanoTime() + ".log");
        int port = TestAdmin.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", jar.toString(),
                "--server.port=" + port, "--tessera.zookeeper.embedded-port=" + TestAdmin.freePort(),
                "--tessera.data-dir=" + dataDir, "--tessera.advertised-host=127.0.0.1",
                "--tessera.ui.admin-password=" + adminPassword, "--tessera.ui.refresh-interval=1s"));
        command.addAll(options);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PackagedAdmin admin = new PackagedAdmin("http://127.0.0.1:" + port, log, process);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .failFast("the admin exited; its log: " + log, () -> !process.isAlive())
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(admin.baseUrl + "/login")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return admin;
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

}
