package io.tessera.admin.engine;

import io.tessera.admin.config.TestAdmin;
import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.admin.cluster.ClusterSignals;
import io.tessera.admin.config.DatabaseDefaults;
import io.tessera.core.model.RunStatus;
import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.handler.HandlerResult;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4, "database down", for real: an admin (a separate JVM) whose H2 database is served over
 * TCP by this test, a real agent, a cron job every second. The database server is stopped, which
 * closes every connection, and started again on the same port and files. Scheduling must pause
 * with a health status that names the database, resume by itself, lose nothing (results reported
 * during the outage arrive later) and record no fire twice.
 */
class DatabaseOutageTest {

    private static final String SECRET = "outage-test-cluster-secret-0123456789";
    private static final String GROUP = "outage";
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    private final int databasePort = TestAdmin.freePort();
    private Path workDir;
    private Path databaseDir;
    private Server database;
    private AdminDatabase db;
    private TestingServer zookeeper;
    private CuratorFramework client;
    private AdminProcess admin;
    private Agents agents;

    @BeforeEach
    void start() throws Exception {
        workDir = Files.createDirectories(Path.of("target", "outage", UUID.randomUUID().toString())).toAbsolutePath();
        databaseDir = Files.createDirectories(workDir.resolve("h2"));
        database = startDatabase();
        String url = "jdbc:h2:tcp://127.0.0.1:" + databasePort + "/tessera;" + DatabaseDefaults.H2_OPTIONS;
        db = new AdminDatabase(url, "sa", "");
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 250, -1), true);
        client = ZkAccess.fromSecret(SECRET).apply(CuratorFrameworkFactory.builder())
                .connectString(zookeeper.getConnectString())
                .namespace(ZkLayout.DEFAULT_NAMESPACE).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        admin = AdminProcess.start("admin-outage", workDir, List.of(
                "--tessera.zookeeper.connect=" + zookeeper.getConnectString(),
                "--tessera.zookeeper.session-timeout=4s",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=sa",
                "--spring.datasource.password=",
                "--spring.datasource.hikari.connection-timeout=1000",
                "--spring.datasource.hikari.validation-timeout=500",
                "--tessera.cluster-secret=" + SECRET,
                "--tessera.advertised-host=127.0.0.1",
                "--tessera.engine.misfire-threshold=1s",
                "--tessera.engine.reconcile-interval=1s"));
        agents = new Agents(zookeeper.getConnectString(), SECRET);
    }

    /** Serves {@code databaseDir} on {@code databasePort}; the same files and port each time. */
    private Server startDatabase() throws SQLException {
        return Server.createTcpServer("-tcpPort", Integer.toString(databasePort), "-ifNotExists",
                "-baseDir", databaseDir.toString()).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (admin != null) {
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
        if (database != null) {
            database.stop();
        }
    }

    @Test
    void whenTheDatabaseGoesAwaySchedulingPausesAndResumesByItselfAndNothingIsLost() throws Exception {
        try {
            outage();
        } catch (Throwable e) {
            System.out.println(admin.tail(120));
            throw e;
        }
    }

    private void outage() throws Exception {
        await("the admin schedules").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .failFast("the admin exited", () -> !admin.isAlive())
                .until(() -> "SCHEDULING".equals(admin.engineMode().orElse(null)));
        // While the gate is closed, a starting shard holds until it opens: one run is started before the outage and
        // finishes, and reports, during it.
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
        Set<Long> held = ConcurrentHashMap.newKeySet();
        agents.start(agents.config(GROUP), "work", context -> {
            CountDownLatch closed = gate.get();
            if (closed.getCount() > 0) {
                held.add(context.runId());
                closed.await(30, TimeUnit.SECONDS);
            }
            return HandlerResult.succeeded();
        });
        long jobId = db.insertCronJob("every-second", GROUP, "work", "* * * * * ?", "FIRE_ONCE");
        new ClusterSignals(client).jobsChanged();
        await("fires before the outage").atMost(Duration.ofSeconds(20))
                .until(() -> db.count(jobId, RunStatus.SUCCEEDED) >= 3);
        CountDownLatch hold = new CountDownLatch(1);
        gate.set(hold);
        await("a run holds on the agent").atMost(Duration.ofSeconds(5)).until(() -> !held.isEmpty());
        long heldRun = held.iterator().next();

        Instant stoppedAt = Instant.now();
        database.stop();
        await("the engine pauses").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> "PAUSED".equals(admin.engineMode().orElse(null)));
        hold.countDown();
        Duration detected = Duration.between(stoppedAt, Instant.now());
        Set<Long> dispatchedBefore = agents.invocations.stream()
                .filter(run -> run.startedMillis() < stoppedAt.toEpochMilli())
                .map(Agents.Invocation::runId).collect(Collectors.toSet());
        JsonNode health = admin.health().orElseThrow();
        Instant pausedAt = since(health);
        System.out.println("PAUSED after " + detected.toMillis() + " ms: " + health);
        assertThat(health.path("status").asText()).as("overall health").isNotEqualTo("UP");
        JsonNode engine = health.path("components").path("engine");
        assertThat(engine.path("status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(engine.path("details").path("reason").asText()).as("the reason names the database")
                .contains("database");
        Duration rest = detected.compareTo(OUTAGE) < 0 ? OUTAGE.minus(detected) : Duration.ofSeconds(1);
        await("the engine stays paused while the database is down").during(rest)
                .atMost(OUTAGE.plusSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> "PAUSED".equals(admin.engineMode().orElse(null)));

        Instant restartedAt = Instant.now();
        database = startDatabase();
        await("the engine resumes by itself").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> "SCHEDULING".equals(admin.engineMode().orElse(null)));
        Duration resumed = Duration.between(restartedAt, Instant.now());
        JsonNode healthAgain = admin.health().orElseThrow();
        Instant resumedAt = since(healthAgain);
        System.out.printf("OUTAGE database stopped at %s for %d ms; engine paused after %d ms (seen over HTTP after"
                + " %d ms); scheduling again %d ms after the restart (seen over HTTP after %d ms)%n", stoppedAt,
                Duration.between(stoppedAt, restartedAt).toMillis(), Duration.between(stoppedAt, pausedAt).toMillis(),
                detected.toMillis(), Duration.between(restartedAt, resumedAt).toMillis(), resumed.toMillis());
        assertThat(healthAgain.path("components").path("engine").path("status").asText()).isEqualTo("UP");

        // Shards due while database writes still fail start once the writer's next retry goes through: allow for it.
        Instant after = resumedAt.plusSeconds(4);
        await("fires after the outage").atMost(Duration.ofSeconds(20))
                .until(() -> db.succeededAfter(jobId, after) >= 3);
        await("every run that ran on the agent ends SUCCEEDED").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<Long, AdminDatabase.Run> byId = db.runs(jobId).stream()
                    .collect(Collectors.toMap(AdminDatabase.Run::id, run -> run));
            for (Agents.Invocation invocation : agents.invocations) {
                assertThat(byId.get(invocation.runId())).as("run %d", invocation.runId())
                        .extracting(AdminDatabase.Run::status).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(db.shardStatuses(invocation.runId())).containsOnly(RunStatus.SUCCEEDED);
            }
        });

        List<AdminDatabase.Run> runs = db.runs(jobId);
        runs.forEach(run -> System.out.println("RUN " + run));
        assertThat(dispatchedBefore).as("runs dispatched before the outage").isNotEmpty().contains(heldRun);
        assertThat(runs).extracting(AdminDatabase.Run::at).as("no fire time recorded twice, whatever the trigger kind")
                .doesNotHaveDuplicates();
        assertThat(agents.invocations.stream()
                .collect(Collectors.groupingBy(Agents.Invocation::runId, Collectors.counting())))
                .as("each run ran once on the agent").allSatisfy((run, times) -> assertThat(times).isEqualTo(1));
        assertThat(runs).as("nothing failed").noneMatch(run -> run.status() == RunStatus.FAILED);

        Instant last = db.lastSucceeded(jobId);
        FireTimeline timeline = FireTimeline.of(db.runsUpTo(jobId, last), agents, last, Duration.ofSeconds(1));
        System.out.println("SKIPPED " + timeline.skipped() + "; FIRED LATE " + timeline.firedLate());
        assertThat(timeline.skipped()).as("only fires during the outage are skipped")
                .allMatch(at -> at.isAfter(stoppedAt) && at.isBefore(resumedAt));
        assertThat(timeline.firedLate()).as("fires are on time again soon after the engine resumed")
                .allMatch(run -> run.at().isBefore(after));
    }

    private static Instant since(JsonNode health) {
        return Instant.parse(health.path("components").path("engine").path("details").path("since").asText());
    }
}
