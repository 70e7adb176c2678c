package io.tessera.admin.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.admin.config.TestMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The production shape as processes (scripts/local-cluster.sh): a three-server ZooKeeper ensemble,
 * two admins on MariaDB, three agents. A per-second cron job keeps running while a ZooKeeper server
 * and then the leading admin are killed with SIGKILL. Runs after {@code package}: it needs both jars.
 */
class LocalClusterIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, String> env;
    private static Path dir;
    private static int base;
    private static String database;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createDirectories(Path.of("target", "local-cluster-it-" + System.nanoTime()).toAbsolutePath());
        base = freeBase();
        database = "tessera_it_" + Long.toHexString(System.nanoTime());
        env = new HashMap<>(Map.of("TESSERA_LOCAL_DIR", dir.toString(), "TESSERA_LOCAL_PORTS", Integer.toString(base),
                "TESSERA_LOCAL_DB", database, "TESSERA_DB_HOST", "127.0.0.1", "TESSERA_DB_PORT", Integer.toString(TestMariaDb.PORT),
                "TESSERA_DB_USER", TestMariaDb.USER, "TESSERA_DB_PASSWORD", TestMariaDb.PASSWORD));
        script("start", Duration.ofSeconds(180));
        token = Files.readString(dir.resolve("api-token")).trim();
    }

    @AfterAll
    static void stop() throws Exception {
        if (dir != null) {
            script("stop", Duration.ofSeconds(60));
        }
        if (database != null) {
            try (Connection db = DriverManager.getConnection(TestMariaDb.SERVER_URL, TestMariaDb.USER, TestMariaDb.PASSWORD)) {
                db.createStatement().execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    /** A base with every port the cluster uses free: clients, quorum, election, admins, agents. */
    private static int freeBase() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = 21000 + ThreadLocalRandom.current().nextInt(0, 30) * 1000;
            if (free(candidate + 181, candidate + 183) && free(candidate + 2888, candidate + 2890)
                    && free(candidate + 3888, candidate + 3890) && free(candidate + 81, candidate + 82)
                    && free(candidate + 91, candidate + 93)) {
                return candidate;
            }
        }
        throw new IOException("no free range of ports for the local cluster");
    }

    private static boolean free(int from, int to) {
        for (int port = from; port <= to; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static String script(String... args) throws Exception {
        return script(List.of(args), Duration.ofSeconds(60));
    }

    private static String script(String command, Duration timeout) throws Exception {
        return script(List.of(command), timeout);
    }

    private static String script(List<String> args, Duration timeout) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("scripts/local-cluster.sh").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output;
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("local-cluster.sh " + args + " did not finish within " + timeout);
        }
        output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as("local-cluster.sh %s said:%n%s", args, output).isZero();
        return output;
    }

    private static JsonNode call(int admin, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (base + 80 + admin) + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    /** Succeeded runs of the job scheduled after {@code after}, as an admin that is up says. */
    private static long succeededAfter(int admin, long jobId, Instant after) {
        try {
            JsonNode runs = call(admin, "GET", "/api/v1/runs?jobId=" + jobId + "&status=SUCCEEDED&limit=500", null);
            long count = 0;
            for (JsonNode run : runs) {
                if (Instant.parse(run.get("scheduledAt").asText()).isAfter(after)) {
                    count++;
                }
            }
            return count;
        } catch (Exception | AssertionError e) {
            return 0;
        }
    }

    @Test
    void schedulingGoesOnWhenAZooKeeperServerAndThenTheLeaderAdminAreKilled() throws Exception {
        JsonNode job = call(1, "POST", "/api/v1/jobs", """
                {"name": "heartbeat", "group": "default", "schedule": {"type": "CRON", "expression": "* * * * * ?",
                 "timezone": "UTC"}, "handler": "command", "params": "echo beat", "shards": 1, "misfire": "FIRE_ONCE"}""");
        long jobId = job.get("id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> succeededAfter(1, jobId, Instant.EPOCH) >= 3);

        Instant zkKilled = Instant.now();
        script("kill", "zk-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> succeededAfter(1, jobId, zkKilled) >= 3);

        String leader = call(1, "GET", "/api/v1/cluster", null).get("leader").asText();
        assertThat(leader).isIn("admin-1", "admin-2");
        int survivor = leader.equals("admin-1") ? 2 : 1;
        Instant leaderKilled = Instant.now();
        script("kill", leader);
        await().atMost(Duration.ofSeconds(60)).until(() -> succeededAfter(survivor, jobId, leaderKilled) >= 3);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                ("admin-" + survivor).equals(call(survivor, "GET", "/api/v1/cluster", null).get("leader").asText()));

        JsonNode all = call(survivor, "GET", "/api/v1/runs?jobId=" + jobId + "&limit=1000", null);
        List<String> fireTimes = new ArrayList<>();
        all.forEach(run -> fireTimes.add(run.get("scheduledAt").asText()));
        assertThat(fireTimes).as("no fire time recorded twice").doesNotHaveDuplicates();
    }
}
