package io.tessera.admin.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.admin.config.TestMariaDb;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.handler.HandlerResult;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Re-runs that span a leader change. A failed shard waits out its retry backoff while the leader is
 * killed; the next leader runs the retry exactly once. A preempted gang is still saving its checkpoint
 * when the leader that preempted it is killed; the next leader restarts it whole, once, without using
 * a retry, after the run it made room for. Before attempts had nodes of their own, the failed attempt's result stayed in
 * the shard's only {@code done} node when the leader died before removing it, and every later
 * trigger of the retry was answered ALREADY_DONE: the run never finished.
 */
class RetryAcrossLeaderChangeTest {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration BACKOFF = Duration.ofSeconds(8);
    private static final String SECRET = "retry-test-cluster-secret-0123456789";
    private static final String TOKEN = "retry-test-bootstrap-token-0123456789";
    private static final String MARIADB = TestMariaDb.SERVER_URL;
    private static final String GROUP = "retry-across";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String database = "tessera_retry_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final AdminDatabase db = new AdminDatabase(MARIADB + database, TestMariaDb.USER, TestMariaDb.PASSWORD);
    private final Map<String, AdminProcess> admins = new TreeMap<>();
    private TestingServer zookeeper;
    private CuratorFramework client;
    private Agents agents;

    @BeforeEach
    void cluster() throws Exception {
        Path workDir = Files.createDirectories(Path.of("target", "retry-across", UUID.randomUUID().toString())).toAbsolutePath();
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 250, -1), true);
        client = ZkAccess.fromSecret(SECRET).apply(CuratorFrameworkFactory.builder())
                .connectString(zookeeper.getConnectString())
                .namespace(ZkLayout.DEFAULT_NAMESPACE).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        execute("CREATE DATABASE " + database);
        for (String id : List.of("admin-a", "admin-b")) {
            admins.put(id, AdminProcess.start(id, workDir, List.of(
                    "--tessera.zookeeper.connect=" + zookeeper.getConnectString(),
                    "--tessera.zookeeper.session-timeout=" + SESSION_TIMEOUT.toSeconds() + "s",
                    "--spring.datasource.url=" + MARIADB + database,
                    "--spring.datasource.username=" + TestMariaDb.USER,
                    "--spring.datasource.password=",
                    "--tessera.cluster-secret=" + SECRET,
                    "--tessera.api.bootstrap-token=" + TOKEN,
                    "--tessera.advertised-host=127.0.0.1",
                    "--tessera.engine.retry-backoff=" + BACKOFF.toSeconds() + "s",
                    "--tessera.engine.reconcile-interval=1s")));
        }
        agents = new Agents(zookeeper.getConnectString(), SECRET);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AdminProcess admin : admins.values()) {
            admin.close();
        }
        if (agents != null) {
            agents.close();
        }
        if (client != null) {
            client.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
        execute("DROP DATABASE IF EXISTS " + database);
    }

    @Test
    void aRetryWhoseBackoffSpansALeaderChangeRunsOnceAndTheRunFinishes() throws Throwable {
        showingAdminLogsOnFailure(this::retryAcrossTheKill);
    }

    /** Runs the test, printing the end of each admin's log when it fails. */
    private void showingAdminLogsOnFailure(org.junit.jupiter.api.function.Executable test) throws Throwable {
        try {
            test.execute();
        } catch (Throwable e) {
            admins.values().forEach(admin -> System.out.println(admin.tail(80)));
            throw e;
        }
    }

    /** Waits until exactly one admin schedules, and returns it. */
    private AdminProcess leader() {
        await("one admin leads").atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofMillis(250))
                .failFast("an admin exited", () -> admins.values().stream().anyMatch(admin -> !admin.isAlive()))
                .until(() -> admins.values().stream().filter(admin -> "SCHEDULING".equals(admin.engineMode().orElse(null)))
                        .count() == 1);
        return admins.values().stream()
                .filter(admin -> "SCHEDULING".equals(admin.engineMode().orElse(null))).findFirst().orElseThrow();
    }

    private void retryAcrossTheKill() throws Exception {
        AdminProcess leader = leader();
        AdminProcess follower = admins.values().stream().filter(admin -> admin != leader).findFirst().orElseThrow();
        // Attempt 1 of every shard fails; later attempts succeed.
        agents.start(agents.config(GROUP), "flaky", context -> context.attempt() == 1
                ? HandlerResult.failed("first attempts fail") : HandlerResult.succeeded());

        long jobId = post(leader, "/api/v1/jobs", "{\"name\":\"flaky-twice\",\"group\":\"" + GROUP + "\",\"handler\":\"flaky\","
                + "\"shards\":2,\"maxRetries\":1}").path("id").asLong();
        long runId = post(leader, "/api/v1/jobs/" + jobId + "/trigger", "").path("runId").asLong();

        await("both shards failed their first attempt and wait for the retry").atMost(Duration.ofSeconds(15))
                .until(() -> finished(runId, 0, 1) && finished(runId, 1, 1)
                        && db.shardStatuses(runId).stream().allMatch(status -> status == RunStatus.PENDING));
        leader.kill();

        await("the run finishes under the new leader").atMost(BACKOFF.plus(SESSION_TIMEOUT).plusSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> db.runs(jobId).stream().anyMatch(run -> run.id() == runId && run.status().isTerminal()));
        assertThat(follower.engineMode()).contains("SCHEDULING");
        assertThat(db.runs(jobId)).filteredOn(run -> run.id() == runId).singleElement()
                .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED));
        Map<String, Long> executions = agents.of(runId).stream()
                .collect(Collectors.groupingBy(invocation -> invocation.shard() + "-" + invocation.attempt(), TreeMap::new,
                        Collectors.counting()));
        assertThat(executions).as("each shard: attempt 1 once, attempt 2 once, nothing else")
                .isEqualTo(Map.of("0-1", 1L, "0-2", 1L, "1-1", 1L, "1-2", 1L));
        for (int shard = 0; shard < 2; shard++) {
            assertThat(result(runId, shard, 1).status()).isEqualTo(RunStatus.FAILED);
            assertThat(result(runId, shard, 2).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    @Test
    void aGangPreemptedJustBeforeTheLeaderDiesRestartsOnceUnderTheNextWithoutUsingARetry() throws Throwable {
        showingAdminLogsOnFailure(this::preemptionAcrossTheKill);
    }

    private void preemptionAcrossTheKill() throws Exception {
        AdminProcess leader = leader();
        AdminProcess follower = admins.values().stream().filter(admin -> admin != leader).findFirst().orElseThrow();
        agents.start(agents.config(GROUP).accelerator("GPU:nvidia:H100:81559:2").allowCommand(true), "noop", Agents::ok);
        Path ledger = Files.createTempFile("tessera-preempt-ledger-", ".txt");
        // Attempt 1 trains until stopped (trapped before it says it started), then takes 3 s to save: the leader is dead
        // meanwhile. Later attempts end at once.
        String training = "sh -c 'if [ \\\"$TESSERA_ATTEMPT\\\" = 1 ]; then trap \\\"sleep 3; echo saved-$RANK >> " + ledger
                + "; exit 143\\\" TERM; fi; echo start-$RANK-$TESSERA_ATTEMPT >> " + ledger + ";"
                + " if [ \\\"$TESSERA_ATTEMPT\\\" = 1 ]; then while true; do sleep 0.2 & wait; done; fi'";
        long victimJob = post(leader, "/api/v1/jobs", "{\"name\":\"preempted-gang\",\"group\":\"" + GROUP + "\",\"handler\":\"command\","
                + "\"params\":\"" + training + "\",\"shards\":2,\"gang\":true,\"accelerators\":{\"kind\":\"GPU\",\"count\":1},"
                + "\"preemptible\":true,\"preemptionGraceSeconds\":30,\"maxRetries\":0}").path("id").asLong();
        long urgentJob = post(leader, "/api/v1/jobs", "{\"name\":\"urgent\",\"group\":\"" + GROUP + "\",\"handler\":\"command\","
                + "\"params\":\"sh -c 'echo urgent >> " + ledger + "'\",\"accelerators\":{\"kind\":\"GPU\",\"count\":2},"
                + "\"priority\":10}").path("id").asLong();
        long victimRun = post(leader, "/api/v1/jobs/" + victimJob + "/trigger", "").path("runId").asLong();
        await("both ranks run").atMost(Duration.ofSeconds(20))
                .until(() -> Files.readAllLines(ledger).containsAll(List.of("start-0-1", "start-1-1")));
        long urgentRun = post(leader, "/api/v1/jobs/" + urgentJob + "/trigger", "").path("runId").asLong();

        await("the leader recorded that it preempts both ranks").atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT COUNT(*) FROM " + database + ".run_preemption WHERE run_id = " + victimRun + " AND attempt = 1") == 2);
        leader.kill();

        await("both runs finish under the new leader").atMost(SESSION_TIMEOUT.plusSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> db.runs(victimJob).stream().allMatch(run -> run.status().isTerminal())
                        && db.runs(urgentJob).stream().allMatch(run -> run.status().isTerminal()));
        assertThat(follower.engineMode()).contains("SCHEDULING");
        assertThat(db.runs(urgentJob)).singleElement().satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED));
        assertThat(db.runs(victimJob)).singleElement().satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED));
        List<String> lines = Files.readAllLines(ledger);
        assertThat(lines).as("each rank: attempt 1, saved, then attempt 2 once after the urgent run; nothing else")
                .containsExactlyInAnyOrder("start-0-1", "start-1-1", "saved-0", "saved-1", "urgent", "start-0-2", "start-1-2");
        assertThat(lines.indexOf("urgent")).isLessThan(Math.min(lines.indexOf("start-0-2"), lines.indexOf("start-1-2")));
        assertThat(count("SELECT COUNT(*) FROM " + database + ".run_preemption WHERE run_id = " + victimRun)).isEqualTo(2);
    }

    private long count(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(MARIADB, TestMariaDb.USER, TestMariaDb.PASSWORD);
             Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private boolean finished(long runId, int shard, int attempt) throws Exception {
        Stat stat = client.checkExists().forPath(ZkLayout.attempt(runId, shard, attempt));
        return stat != null && stat.getEphemeralOwner() == 0;
    }

    private ShardResult result(long runId, int shard, int attempt) throws Exception {
        return WireCodec.decode(client.getData().forPath(ZkLayout.attempt(runId, shard, attempt)), ShardResult.class);
    }

    private static JsonNode post(AdminProcess admin, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " answered " + response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(MARIADB, TestMariaDb.USER, TestMariaDb.PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
