package io.tessera.admin.engine;

import io.tessera.admin.cluster.ClusterSignals;
import io.tessera.core.model.RunStatus;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4, "leader dies", for real: two admins as separate JVMs on one ZooKeeper and one MariaDB
 * database, a real agent, a cron job every second. The leader is killed with {@code kill -9}; the
 * other admin must take over within the session timeout (+2 s), record no fire twice, apply the
 * job's misfire policy (FIRE_ONCE) to the gap, recover the results that were reported to the dead
 * admin, and go on firing every second.
 */
class AdminFailoverTest {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(1);
    private static final String SECRET = "failover-test-cluster-secret-0123456789";
    private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
    private static final String GROUP = "failover";

    private final String database = "tessera_failover_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Map<String, AdminProcess> admins = new TreeMap<>();
    private TestingServer zookeeper;
    private CuratorFramework client;
    private Agents agents;
    private Path workDir;

    @BeforeEach
    void cluster() throws Exception {
        workDir = Files.createDirectories(Path.of("target", "failover", UUID.randomUUID().toString())).toAbsolutePath();
        // A 250 ms tick: sessions expire on time (ZooKeeper checks expiry once a tick) and 4 s is a timeout it allows.
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 250, -1), true);
        client = CuratorFrameworkFactory.builder().connectString(zookeeper.getConnectString())
                .namespace(ZkLayout.DEFAULT_NAMESPACE).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        execute(MARIADB, "CREATE DATABASE " + database);
        for (String id : List.of("admin-a", "admin-b")) {
            admins.put(id, AdminProcess.start(id, workDir, List.of(
                    "--tessera.zookeeper.connect=" + zookeeper.getConnectString(),
                    "--tessera.zookeeper.session-timeout=" + SESSION_TIMEOUT.toSeconds() + "s",
                    "--spring.datasource.url=" + MARIADB + database,
                    "--spring.datasource.username=root",
                    "--spring.datasource.password=",
                    "--tessera.cluster-secret=" + SECRET,
                    "--tessera.advertised-host=127.0.0.1",
                    "--tessera.engine.misfire-threshold=" + MISFIRE_THRESHOLD.toSeconds() + "s")));
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
        execute(MARIADB, "DROP DATABASE IF EXISTS " + database);
    }

    @Test
    void whenTheLeaderIsKilledTheOtherTakesOverInTimeAndNoFireIsRecordedOrRunTwice() throws Exception {
        try {
            failover();
        } catch (Throwable e) {
            admins.values().forEach(admin -> System.out.println(admin.tail(80)));
            throw e;
        }
    }

    private void failover() throws Exception {
        await("both admins healthy, one of them leading").atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofMillis(250))
                .failFast("an admin exited", () -> admins.values().stream().anyMatch(admin -> !admin.isAlive()))
                .until(() -> modes().values().stream().sorted().toList().equals(List.of("FOLLOWER", "SCHEDULING")));
        AdminProcess leader = admins.values().stream().filter(admin -> "SCHEDULING".equals(admin.engineMode().orElse(null)))
                .findFirst().orElseThrow();
        AdminProcess follower = admins.values().stream().filter(admin -> admin != leader).findFirst().orElseThrow();
        assertThat(follower.health().orElseThrow().path("components").path("engine").path("details").path("leader").asText())
                .as("the follower names the leader").isEqualTo(leader.adminId);

        agents.start(agents.config(GROUP), "tick", Agents::ok);
        long jobId = insertJob("every-second", "* * * * * ?", "FIRE_ONCE");
        new ClusterSignals(client).jobsChanged();
        await("fires before the kill").atMost(Duration.ofSeconds(20))
                .until(() -> count(jobId, RunStatus.SUCCEEDED) >= 3);

        Instant killedAt = Instant.now();
        leader.kill();
        await("the other admin schedules").atMost(SESSION_TIMEOUT.plusSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> "SCHEDULING".equals(follower.engineMode().orElse(null)));
        Instant tookOverAt = Instant.now();
        Duration failover = Duration.between(killedAt, tookOverAt);
        System.out.printf("FAILOVER %s killed at %s; %s scheduling after %d ms%n", leader.adminId, killedAt,
                follower.adminId, failover.toMillis());
        assertThat(failover).as("takeover within the session timeout + 2 s").isLessThanOrEqualTo(SESSION_TIMEOUT.plusSeconds(2));

        Instant after = tookOverAt.plus(MISFIRE_THRESHOLD);
        await("fires after the takeover").atMost(Duration.ofSeconds(20))
                .until(() -> runs(jobId).stream().filter(run -> run.status == RunStatus.SUCCEEDED && run.at.isAfter(after)).count() >= 5);
        // Everything up to the last success has settled: results reported to the dead admin are read from `done` nodes.
        Instant last = runs(jobId).stream().filter(run -> run.status == RunStatus.SUCCEEDED).map(run -> run.at)
                .max(Instant::compareTo).orElseThrow();
        await("runs up to " + last + " finished").atMost(Duration.ofSeconds(20))
                .until(() -> runs(jobId).stream().filter(run -> !run.at.isAfter(last)).allMatch(run -> run.status.isTerminal()));

        List<Run> runs = runs(jobId).stream().filter(run -> !run.at.isAfter(last)).toList();
        runs.forEach(run -> System.out.println("RUN " + run));
        assertThat(runs).extracting(run -> run.at).as("no fire time recorded twice, whatever the trigger kind")
                .doesNotHaveDuplicates();
        Map<Long, Long> ranOnAgent = agents.invocations.stream()
                .collect(Collectors.groupingBy(Agents.Invocation::runId, Collectors.counting()));
        assertThat(ranOnAgent).as("each run ran at most once on the agent").allSatisfy((run, times) -> assertThat(times).isEqualTo(1));

        Map<Instant, Run> byTime = runs.stream().collect(Collectors.toMap(run -> run.at, Function.identity()));
        Instant first = runs.get(0).at;
        List<Instant> skipped = new ArrayList<>();
        List<Run> firedLate = new ArrayList<>();
        for (Instant at = first; !at.isAfter(last); at = at.plusSeconds(1)) {
            Run run = byTime.get(at);
            if (run == null || run.status == RunStatus.CANCELLED) {
                if (run != null) {
                    assertThat(run.message).as("cancelled fire %s", at).contains("missed");
                }
                skipped.add(at);
                continue;
            }
            assertThat(run.status).as("fire %s", run).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(ranOnAgent).as("fire %s ran on the agent", run).containsKey(run.id);
            long late = agents.of(run.id).get(0).startedMillis() - at.toEpochMilli();
            if (late > MISFIRE_THRESHOLD.toMillis()) {
                firedLate.add(run);
            }
        }
        System.out.println("SKIPPED " + skipped + "; FIRED LATE (misfire policy) " + firedLate);
        Instant gapFrom = killedAt.minusSeconds(1);
        assertThat(skipped).as("only fires in the gap between the kill and the takeover are skipped")
                .allMatch(at -> at.isAfter(gapFrom) && at.isBefore(tookOverAt));
        assertThat(firedLate).as("FIRE_ONCE: at most one run fired for the whole gap").hasSizeLessThanOrEqualTo(1)
                .allMatch(run -> run.at.isAfter(gapFrom) && run.at.isBefore(tookOverAt));
        assertThat(runs.stream().filter(run -> run.at.isAfter(after)))
                .as("every second after the takeover fired").allMatch(run -> run.status == RunStatus.SUCCEEDED);
    }

    private Map<String, String> modes() {
        Map<String, String> modes = new TreeMap<>();
        admins.forEach((id, admin) -> admin.engineMode().ifPresent(mode -> modes.put(id, mode)));
        return modes;
    }

    // ---------------------------------------------------------------- the database, directly

    private record Run(long id, String trigger, Instant at, RunStatus status, String message) {
    }

    private long insertJob(String name, String cron, String misfire) throws SQLException {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try (Connection connection = DriverManager.getConnection(MARIADB + database, "root", "");
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO job (name, job_group, schedule_type, schedule_expr, schedule_zone, handler, params,
                                      shard_count, accelerators, gang, routing, block_strategy, misfire, timeout_seconds,
                                      max_retries, max_wait_seconds, child_job_ids, enabled, version, created_at, updated_at)
                     VALUES (?, ?, 'CRON', ?, 'UTC', 'tick', '', 1, NULL, FALSE, 'ROUND_ROBIN', 'SERIAL', ?, 0, 0, 0, '',
                             TRUE, 0, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, name);
            insert.setString(2, GROUP);
            insert.setString(3, cron);
            insert.setString(4, misfire);
            insert.setObject(5, now);
            insert.setObject(6, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private List<Run> runs(long jobId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(MARIADB + database, "root", "");
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, trigger_kind, scheduled_at, status, message FROM job_run WHERE job_id = ? ORDER BY scheduled_at, id")) {
            select.setLong(1, jobId);
            List<Run> runs = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    runs.add(new Run(rows.getLong(1), rows.getString(2),
                            rows.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS),
                            RunStatus.valueOf(rows.getString(4)), rows.getString(5)));
                }
            }
            return runs;
        }
    }

    private long count(long jobId, RunStatus status) throws SQLException {
        return runs(jobId).stream().filter(run -> run.status == status).count();
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "root", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
