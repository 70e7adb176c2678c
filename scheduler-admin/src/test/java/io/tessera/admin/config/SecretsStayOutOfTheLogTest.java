package io.tessera.admin.config;

import io.tessera.admin.TesseraAdminApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin as its own process, with file logging configured and nothing else: the cluster secret it
 * generates (into {@code tessera.cluster-secret-file}) and the first user's password are shown on its
 * console once, and the log file has neither; its command line ({@code ps}) holds no secret either.
 */
class SecretsStayOutOfTheLogTest {

    private static final Pattern PASSWORD = Pattern.compile("password: (\\S+)");

    @TempDir
    Path dir;
    private Process admin;

    @AfterEach
    void stop() throws InterruptedException {
        if (admin != null) {
            admin.destroy();
            if (!admin.waitFor(30, TimeUnit.SECONDS)) {
                admin.destroyForcibly();
            }
        }
    }

    @Test
    void generatedSecretsGoToTheConsoleOnceAndNeverToTheLogFile() throws Exception {
        int port = TestAdmin.freePort();
        Path secretFile = dir.resolve("secrets/cluster-secret");
        Path logFile = dir.resolve("logs/admin.log");
        Path console = dir.resolve("console.txt");
        Path bootsOwnLogging = Files.writeString(dir.resolve("logback.xml"), "<configuration><include resource="
                + "\"org/springframework/boot/logging/logback/base.xml\"/></configuration>");
        admin = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), TesseraAdminApplication.class.getName(),
                "--server.port=" + port,
                "--tessera.data-dir=" + dir.resolve("data"),
                "--tessera.zookeeper.embedded-port=" + TestAdmin.freePort(),
                "--tessera.cluster-secret-file=" + secretFile,
                "--logging.file.name=" + logFile,
                // Boot's own console-and-file set-up, whatever logback-test.xml a reactor build puts on the class path.
                "--logging.config=" + bootsOwnLogging))
                .redirectErrorStream(true)
                .redirectOutput(console.toFile())
                .start();
        awaitHealthy(port);

        String secret = Files.readString(secretFile).trim();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile))).isEqualTo("rw-------");
        String shown = Files.readString(console);
        Matcher password = PASSWORD.matcher(shown);
        assertThat(password.find()).as("the first user's password is on the console:\n" + shown).isTrue();
        assertThat(shown.split(Pattern.quote(secret), -1)).as("the secret is shown once").hasSize(2);

        String logged = Files.readString(logFile);
        assertThat(logged).as("the file appender works").contains("shown once on the console", secretFile.toString());
        assertThat(logged).doesNotContain(secret, password.group(1));
        // What ps shows; read from /proc, as ProcessHandle gives up on a command line as long as this classpath.
        String commandLine = Files.readString(Path.of("/proc", Long.toString(admin.pid()), "cmdline"));
        assertThat(commandLine).contains("--tessera.cluster-secret-file=" + secretFile).doesNotContain(secret);
    }

    private void awaitHealthy(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .failFast("the admin exited", () -> !admin.isAlive())
                .until(() -> http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }
}
