package io.tessera.admin.config;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ResultBatchAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leak as it was reproduced: the packaged admin with {@code -Xmx256m}, and 300 MB bodies posted
 * without authentication to the results endpoint, which needs no token. Each is refused (413 or 401)
 * without being read; the admin stays healthy and never runs out of memory. A report signed with the
 * previous cluster secret is still accepted, as during a rotation.
 */
class ExecutorResultsLimitIT {

    private static final String SECRET = "results-limit-it-cluster-secret-0123";
    private static final String OLD_SECRET = "results-limit-it-previous-secret-4567";
    private static final long HUGE = 300L * 1024 * 1024;

    private Process admin;

    @Test
    void oversizedUnauthenticatedReportsAreRefusedBeforeTheyAreReadAndTheAdminStaysUp() throws Exception {
        Path jar = Path.of("target", "scheduler-admin.jar").toAbsolutePath();
        assertThat(jar).as("built by the package phase").exists();
        Path dataDir = TestAdmin.newDataDir();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        int httpPort = TestAdmin.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        admin = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString(),
                "--server.port=" + httpPort, "--tessera.zookeeper.embedded-port=" + TestAdmin.freePort(),
                "--tessera.data-dir=" + dataDir, "--tessera.cluster-secret=" + SECRET,
                "--tessera.cluster-previous-secret=" + OLD_SECRET))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        URI results = URI.create("http://127.0.0.1:" + httpPort + WirePaths.RESULTS);
        awaitHealthy(http, httpPort, log);

        HttpResponse<String> withLength = http.send(post(results, HttpRequest.BodyPublishers.fromPublisher(
                zeros(), HUGE), Map.of()), HttpResponse.BodyHandlers.ofString());
        assertThat(withLength.statusCode()).as(withLength.body()).isEqualTo(413);
        assertThat(withLength.body()).contains("\"field\":\"body\"");

        HttpResponse<String> chunkedUnsigned = http.send(post(results, zeros(), Map.of()), HttpResponse.BodyHandlers.ofString());
        assertThat(chunkedUnsigned.statusCode()).as(chunkedUnsigned.body()).isEqualTo(401);
        assertThat(chunkedUnsigned.body()).contains("missing");

        RequestSigner.Signature forged = new RequestSigner("not-the-cluster-secret-of-this-admin").sign("POST", WirePaths.RESULTS, null);
        HttpResponse<String> chunkedForged = http.send(post(results, zeros(), forged.headers()), HttpResponse.BodyHandlers.ofString());
        assertThat(chunkedForged.statusCode()).as("read to one byte past the 4 MB cap, no further: " + chunkedForged.body())
                .isEqualTo(413);

        byte[] report = WireCodec.encode(new ResultBatch(WireMessage.PROTOCOL_VERSION, List.of(new ShardResult(
                WireMessage.PROTOCOL_VERSION, 987_654_321L, 0, 1, 1, "exec-it", RunStatus.SUCCEEDED, 0, "",
                Instant.now(), Instant.now(), 1))));
        RequestSigner.Signature byOldSecret = new RequestSigner(OLD_SECRET).sign("POST", WirePaths.RESULTS, report);
        HttpResponse<String> rotated = http.send(post(results, HttpRequest.BodyPublishers.ofByteArray(report),
                byOldSecret.headers()), HttpResponse.BodyHandlers.ofString());
        assertThat(rotated.statusCode()).as("signed with the previous secret: " + rotated.body()).isEqualTo(200);
        assertThat(WireCodec.decode(rotated.body().getBytes(), ResultBatchAck.class).alreadyRecorded())
                .as("a result of no known run is acknowledged, not recorded").isEqualTo(1);
        HttpResponse<String> replayed = http.send(post(results, HttpRequest.BodyPublishers.ofByteArray(report),
                byOldSecret.headers()), HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("replayed request");

        assertThat(admin.isAlive()).isTrue();
        awaitHealthy(http, httpPort, log);
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    }

    private static HttpRequest post(URI uri, HttpRequest.BodyPublisher body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(body);
        headers.forEach(request::header);
        return request.build();
    }

    /** {@value #HUGE} bytes made as they are sent, never held: the client's memory is not what is tested. */
    private static HttpRequest.BodyPublisher zeros() {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
            private long left = HUGE;

            @Override
            public int read() {
                return left-- > 0 ? '0' : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) '0');
                left -= n;
                return n;
            }
        });
    }

    private void awaitHealthy(HttpClient http, int port, Path log) {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class)
                    .failFast("the admin exited", () -> !admin.isAlive())
                    .untilAsserted(() -> assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).body())
                            .contains("\"status\":\"UP\""));
        } catch (RuntimeException e) {
            throw new AssertionError("the packaged admin is not healthy (" + e.getMessage() + "); its log " + log + ":\n"
                    + tail(log), e);
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (admin != null && admin.isAlive()) {
            admin.destroy();
            if (!admin.waitFor(60, TimeUnit.SECONDS)) {
                admin.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
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
