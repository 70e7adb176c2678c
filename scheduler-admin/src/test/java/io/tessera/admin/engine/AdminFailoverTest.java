package io.tessera.admin.engine;

import io.tessera.admin.cluster.ClusterSignals;
import io.tessera.admin.config.TestMariaDb;
import io.tessera.core.model.RunStatus;
import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.handler.HandlerResult;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    private static final String MARIADB = TestMariaDb.SERVER_URL;
    private static final String GROUP = "failover";

    private final String database = "tessera_failover_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final AdminDatabase db = new AdminDatabase(MARIADB + database, "root", "");
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
        client = ZkAccess.fromSecret(SECRET).apply(CuratorFrameworkFactory.builder())
                .connectString(zookeeper.getConnectString())
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
        await("both admins healthy, one of them leading").atMost(Duration.ofSeconds(75))
                .pollInterval(Duration.ofMillis(250))
                .failFast("an admin exited", () -> admins.values().stream().anyMatch(admin -> !admin.isAlive()))
                .until(() -> modes().values().stream().sorted().toList().equals(List.of("FOLLOWER", "SCHEDULING")));
        AdminProcess leader = admins.values().stream()
                .filter(admin -> "SCHEDULING".equals(admin.engineMode().orElse(null))).findFirst().orElseThrow();
        AdminProcess follower = admins.values().stream().filter(admin -> admin != leader).findFirst().orElseThrow();
        // The follower learns who leads from ZooKeeper a moment after the leader starts scheduling.
        await("the follower names the leader").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(follower.engine().orElseThrow().path("details").path("leader").asText())
                        .isEqualTo(leader.adminId));

        // While the gate is closed a starting shard holds until it opens: one run starts under the leader and finishes
        // after its death. Its report goes to the dead admin; only its `done` node tells the new leader.
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
        Set<Long> held = ConcurrentHashMap.newKeySet();
        agents.start(agents.config(GROUP), "tick", context -> {
            CountDownLatch closed = gate.get();
            if (closed.getCount() > 0) {
                held.add(context.runId());
                closed.await(30, TimeUnit.SECONDS);
            }
            return HandlerResult.succeeded();
        });
        long jobId = db.insertCronJob("every-second", GROUP, "tick", "* * * * * ?", "FIRE_ONCE");
        new ClusterSignals(client).jobsChanged();
        await("fires before the kill").atMost(Duration.ofSeconds(20))
                .until(() -> db.count(jobId, RunStatus.SUCCEEDED) >= 3);
        CountDownLatch hold = new CountDownLatch(1);
        gate.set(hold);
        await("a run holds on the agent").atMost(Duration.ofSeconds(5)).until(() -> !held.isEmpty());
        long heldRun = held.iterator().next();

        // The moment ZooKeeper drops the dead leader's latch node: the new term cannot begin before it.
        AtomicReference<Instant> leaderNodeGone = new AtomicReference<>();
        try (CuratorCache latch = CuratorCache.build(client, ZkLayout.LEADER)) {
            latch.listenable().addListener(CuratorCacheListener.builder()
                    .forDeletes(node -> leaderNodeGone.compareAndSet(null, Instant.now())).build());
            latch.start();
            Instant killedAt = Instant.now();
            leader.kill();
            hold.countDown();
            afterKill(jobId, leader, follower, killedAt, leaderNodeGone);
        }
        assertThat(db.runs(jobId)).as("the run that finished after the leader died, recorded from its done node")
                .filteredOn(run -> run.id() == heldRun).singleElement()
                .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED));
        assertThat(db.shardStatuses(heldRun)).containsExactly(RunStatus.SUCCEEDED);
    }

    private void afterKill(long jobId, AdminProcess leader, AdminProcess follower, Instant killedAt,
                           AtomicReference<Instant> leaderNodeGone) throws Exception {
        await("the other admin schedules").atMost(SESSION_TIMEOUT.plusSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> "SCHEDULING".equals(follower.engineMode().orElse(null)));
        Instant tookOverAt = Instant.now();
        Duration failover = Duration.between(killedAt, tookOverAt);
        Instant since = Instant.parse(follower.engine().orElseThrow().path("details").path("since").asText());
        await("ZooKeeper saw the leader's node go").atMost(Duration.ofSeconds(2))
                .until(() -> leaderNodeGone.get() != null);
        Instant termBegins = leaderNodeGone.get();
        System.out.printf("FAILOVER %s killed at %s; its latch node gone after %d ms; %s scheduling after %d ms (its"
                + " engine's own timestamp), seen over HTTP after %d ms%n", leader.adminId, killedAt,
                Duration.between(killedAt, termBegins).toMillis(), follower.adminId,
                Duration.between(killedAt, since).toMillis(), failover.toMillis());
        assertThat(failover).as("takeover within the session timeout + 2 s")
                .isLessThanOrEqualTo(SESSION_TIMEOUT.plusSeconds(2));

        Instant after = tookOverAt.plus(MISFIRE_THRESHOLD);
        await("fires after the takeover").atMost(Duration.ofSeconds(20))
                .until(() -> db.succeededAfter(jobId, after) >= 5);
        // Everything up to the last success has settled: results reported to the dead admin are read from `done` nodes.
        Instant last = db.lastSucceeded(jobId);
        try {
            await("runs up to " + last + " finished").atMost(Duration.ofSeconds(20))
                    .until(() -> db.runsUpTo(jobId, last).stream().allMatch(run -> run.status().isTerminal()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("runs still open: " + db.runsUpTo(jobId, last).stream()
                    .filter(run -> !run.status().isTerminal()).toList(), e);
        }

        List<AdminDatabase.Run> runs = db.runsUpTo(jobId, last);
        runs.forEach(run -> System.out.println("RUN " + run));
        assertThat(runs).extracting(AdminDatabase.Run::at).as("no fire time recorded twice, whatever the trigger kind")
                .doesNotHaveDuplicates();
        Map<Long, Long> ranOnAgent = agents.invocations.stream()
                .collect(Collectors.groupingBy(Agents.Invocation::runId, Collectors.counting()));
        assertThat(ranOnAgent).as("each run ran at most once on the agent")
                .allSatisfy((run, times) -> assertThat(times).isEqualTo(1));

        FireTimeline timeline = FireTimeline.of(runs, agents, last, MISFIRE_THRESHOLD);
        List<Instant> skipped = timeline.skipped();
        List<AdminDatabase.Run> firedLate = timeline.firedLate();
        System.out.println("SKIPPED " + skipped + "; FIRED LATE " + firedLate);
        Instant gapFrom = killedAt.minusSeconds(1);
        assertThat(skipped).as("only fires in the gap between the kill and the takeover are skipped")
                .allMatch(at -> at.isAfter(gapFrom) && at.isBefore(tookOverAt));
        assertThat(firedLate).as("only fires in the gap are late")
                .allMatch(run -> run.at().isAfter(gapFrom) && run.at().isBefore(tookOverAt.plus(MISFIRE_THRESHOLD)));
        // Missed for sure: more than the misfire threshold before the new term could begin. A fire within the threshold
        // of the term's start is only late and fires normally.
        Instant missedBefore = termBegins.minus(MISFIRE_THRESHOLD);
        assertThat(runs.stream().filter(run -> run.at().isAfter(killedAt) && run.at().isBefore(missedBefore)
                && run.status() == RunStatus.SUCCEEDED))
                .as("FIRE_ONCE: at most one run fired for the whole gap before %s", missedBefore)
                .hasSizeLessThanOrEqualTo(1);
        assertThat(runs.stream().filter(run -> run.at().isAfter(after)))
                .as("every second after the takeover fired").allMatch(run -> run.status() == RunStatus.SUCCEEDED);
    }

    private Map<String, String> modes() {
        Map<String, String> modes = new TreeMap<>();
        admins.forEach((id, admin) -> admin.engineMode().ifPresent(mode -> modes.put(id, mode)));
        return modes;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "root", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
