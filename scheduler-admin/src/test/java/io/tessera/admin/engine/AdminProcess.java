package io.tessera.admin.engine;

import io.tessera.admin.config.TestAdmin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.admin.TesseraAdminApplication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One admin as a separate JVM, started from the test classpath with command-line options only, its
 * output in a file. {@link #kill()} is {@code kill -9}: no shutdown hook, no leaving the election.
 */
final class AdminProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN_OPTION = "--tessera.api.bootstrap-token=";
    private static final String HEALTH_TOKEN = "admin-process-health-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final String adminId;
    final int port;
    final Path log;
    private final Process process;
    /** An API token: only callers with one see health's details. */
    private final String token;

    private AdminProcess(String adminId, int port, Path log, Process process, String token) {
        this.token = token;
        this.adminId = adminId;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code java -cp <test classpath> TesseraAdminApplication} with these options, a port, id and data dir. */
    static AdminProcess start(String adminId, Path workDir, List<String> options) throws IOException {
        int port = TestAdmin.freePort();
        Path dataDir = Files.createDirectories(workDir.resolve(adminId + "-data"));
        Path log = workDir.resolve(adminId + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                TesseraAdminApplication.class.getName(),
                "--server.port=" + port,
                "--tessera.engine.admin-id=" + adminId,
                "--tessera.data-dir=" + dataDir));
        command.addAll(options);
        String token = options.stream().filter(o -> o.startsWith(TOKEN_OPTION)).map(o -> o.substring(TOKEN_OPTION.length()))
                .findFirst().orElse(null);
        if (token == null) {
            token = HEALTH_TOKEN;
            command.add(TOKEN_OPTION + token);
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new AdminProcess(adminId, port, log, process, token);
    }


    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * {@code /actuator/health} as JSON, with details (asked with the bootstrap token); empty while it
     * does not answer. Any status code: 503 carries a body too.
     */
    Optional<JsonNode> health() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The {@code engine} health component; empty while the admin does not answer. */
    Optional<JsonNode> engine() {
        return health().map(json -> json.path("components").path("engine"));
    }

    /** The {@code engine} component's {@code mode}: FOLLOWER, SCHEDULING or PAUSED; empty while it does not answer. */
    Optional<String> engineMode() {
        return engine().map(engine -> engine.path("details").path("mode").asText(null));
    }

    /** {@code kill -9}. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "---- " + adminId + " (" + log + "), last " + lines + " lines ----\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "---- " + adminId + ": no log (" + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
