package io.tessera.admin.engine;

import io.tessera.admin.TesseraAdminApplication;
import io.tessera.admin.config.DatabaseDefaults;
import io.tessera.admin.config.TestAdmin;
import io.tessera.admin.config.TestMariaDb;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The database and ZooKeeper are bound to each other: run ids name ZooKeeper nodes, so a database
 * that meets another incarnation's nodes must never take their finished attempts for its own runs'.
 * Admins run in this JVM on a real ZooKeeper server, with real agents, on H2 files and MariaDB.
 */
class ClusterBindingTest {

    private static final String SECRET = "binding-test-cluster-secret-0123456789";
    private static final String GROUP = "binding";
    private static final String HANDLER = "count";

    private TestingServer zookeeper;
    private CuratorFramework client;
    private Agents agents;
    private final List<ConfigurableApplicationContext> admins = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();

    @BeforeEach
    void zooKeeperAndAgent() throws Exception {
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 250, -1), true);
        client = ZkAccess.fromSecret(SECRET).apply(CuratorFrameworkFactory.builder())
                .connectString(zookeeper.getConnectString())
                .namespace(ZkLayout.DEFAULT_NAMESPACE).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        agents = new Agents(zookeeper.getConnectString(), SECRET);
        agents.start(agents.config(GROUP), HANDLER, Agents::ok);
    }

    @AfterEach
    void tearDown() throws Exception {
        admins.forEach(ConfigurableApplicationContext::close);
        agents.close();
        client.close();
        zookeeper.close();
        for (String database : databases) {
            onMariaDb("DROP DATABASE IF EXISTS " + database);
        }
    }

    @Test
    void aNewDatabaseOnAnEarlierClustersZooKeeperRefusesToStartAndMarksNothingSucceeded() throws Exception {
        long earlierRun;
        try (ConfigurableApplicationContext earlier = admin(h2(TestAdmin.newDataDir()))) {
            earlierRun = runOnce(earlier, createJob(earlier)).id();
        }
        assertThat(agents.of(earlierRun)).as("the earlier cluster ran its run").hasSize(1);

        Path fresh = TestAdmin.newDataDir();
        AtomicReference<String> instead = new AtomicReference<>();
        Throwable refused = catchThrowable(() -> {
            try (ConfigurableApplicationContext later = admin(h2(fresh))) {
                JobRun run = runOnce(later, createJob(later));
                instead.set("it started, and its run " + run.id() + " ended " + run.status() + " after "
                        + agents.of(run.id()).size() + " handler invocation(s) in all, " + (agents.of(run.id()).size() - 1)
                        + " of them its own");
            }
        });

        assertThat(refused).as("the admin on the new database refuses to start; instead %s", instead.get()).isNotNull();
        String earlierCluster = clusterIdInZooKeeper();
        assertThat(refused).hasStackTraceContaining("Refusing to start")
                .hasStackTraceContaining("holds the state of Tessera cluster " + earlierCluster)
                .hasStackTraceContaining("deleteall /tessera")
                .hasStackTraceContaining("tessera.cluster.adopt-id=" + earlierCluster);
        assertThat(count(h2Url(fresh), "SELECT COUNT(*) FROM job_run")).as("the new database recorded no run").isZero();
    }

    @Test
    void aDatabaseOfAnotherClusterRefusesToStartUnlessItAdoptsZooKeepersCluster() throws Exception {
        try (ConfigurableApplicationContext first = admin(h2(TestAdmin.newDataDir()))) {
            runOnce(first, createJob(first));
        }
        String zooKeeperCluster = clusterIdInZooKeeper();
        Path other = TestAdmin.newDataDir();
        admin(h2(other), "--tessera.zookeeper.namespace=other-cluster").close();
        String otherCluster = clusterIdIn(h2Url(other));
        assertThat(otherCluster).isNotEqualTo(zooKeeperCluster);

        Throwable refused = catchThrowable(() -> admin(h2(other)).close());

        assertThat(refused).as("a database of another cluster on this ZooKeeper").isNotNull()
                .hasStackTraceContaining("this database (jdbc:h2:file:")
                .hasStackTraceContaining("belongs to Tessera cluster " + otherCluster)
                .hasStackTraceContaining("holds the state of cluster " + zooKeeperCluster)
                .hasStackTraceContaining("tessera.cluster.adopt-id=" + zooKeeperCluster);

        try (ConfigurableApplicationContext adopted = admin(h2(other), "--tessera.cluster.adopt-id=" + zooKeeperCluster)) {
            assertThat(clusterIdIn(h2Url(other))).isEqualTo(zooKeeperCluster);
            JobRun run = runOnce(adopted, createJob(adopted));
            assertThat(agents.of(run.id())).as("runs of the adopting database run").hasSize(1);
        }
    }

    @Test
    void theFirstStartCreatesTheIdentityARestartKeepsItAndAClearedZooKeeperGetsItBack() throws Exception {
        Path dataDir = TestAdmin.newDataDir();
        admin(h2(dataDir)).close();
        String created = clusterIdIn(h2Url(dataDir));
        assertThat(created).isNotBlank().isEqualTo(clusterIdInZooKeeper());

        admin(h2(dataDir)).close();
        assertThat(clusterIdIn(h2Url(dataDir))).as("kept across a restart").isEqualTo(created);

        client.delete().deletingChildrenIfNeeded().forPath("/");
        try (ConfigurableApplicationContext again = admin(h2(dataDir))) {
            assertThat(clusterIdInZooKeeper()).as("a cleared ZooKeeper gets the database's id").isEqualTo(created);
            JobRun run = runOnce(again, createJob(again, "after-clear"));
            assertThat(agents.of(run.id())).hasSize(1);
        }
    }

    @Test
    void anH2DatabaseRestoredFromABackupNeverTakesLaterRunsResultsForItsNewRuns() throws Exception {
        Path dataDir = TestAdmin.newDataDir();
        Path backup = dataDir.resolveSibling(dataDir.getFileName() + "-backup.mv.db");
        restoredBackupScenario(h2(dataDir),
                () -> Files.copy(dataDir.resolve("tessera.mv.db"), backup),
                () -> Files.copy(backup, dataDir.resolve("tessera.mv.db"), StandardCopyOption.REPLACE_EXISTING));
    }

    @Test
    void aMariaDbDatabaseRestoredFromADumpNeverTakesLaterRunsResultsForItsNewRuns() throws Exception {
        String database = "tessera_binding_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        onMariaDb("CREATE DATABASE " + database);
        databases.add(database);
        Path dump = TestAdmin.newDataDir().resolve("backup.sql");
        restoredBackupScenario(List.of("--spring.datasource.url=" + TestMariaDb.SERVER_URL + database,
                        "--spring.datasource.username=" + TestMariaDb.USER, "--spring.datasource.password=" + TestMariaDb.PASSWORD),
                () -> mariaDbTool(List.of("mariadb-dump", "--result-file=" + dump, database)),
                () -> {
                    onMariaDb("DROP DATABASE " + database);
                    onMariaDb("CREATE DATABASE " + database);
                    mariaDbTool(List.of("mariadb", database, "-e", "source " + dump));
                });
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Run 1, back up, runs 2 and 3, restore: the restored database's next ids were 2 and 3, whose
     * finished attempts ZooKeeper still holds, so today's admin marked its next run SUCCEEDED from run
     * 2's result without running it.
     */
    private void restoredBackupScenario(List<String> database, Step backUp, Step restore) throws Exception {
        long jobId;
        try (ConfigurableApplicationContext admin = admin(database)) {
            jobId = createJob(admin);
            runOnce(admin, jobId);
        }
        backUp.run();
        List<Long> afterBackup = new ArrayList<>();
        try (ConfigurableApplicationContext admin = admin(database)) {
            afterBackup.add(runOnce(admin, jobId).id());
            afterBackup.add(runOnce(admin, jobId).id());
        }
        restore.run();

        try (ConfigurableApplicationContext restored = admin(database)) {
            int invocationsBefore = agents.invocations.size();
            JobRun run = runOnce(restored, jobId);
            List<Agents.Invocation> own = agents.invocations.stream().skip(invocationsBefore).toList();
            assertThat(own).as("run %d (%s) of the restored database ran its handler; the runs after the backup were %s",
                    run.id(), run.status(), afterBackup).singleElement()
                    .satisfies(invocation -> assertThat(invocation.runId()).isEqualTo(run.id()));
            assertThat(run.id()).as("new run ids continue above the runs ZooKeeper holds").isGreaterThan(afterBackup.get(1));
        }
    }

    // ---------------------------------------------------------------- admins

    private ConfigurableApplicationContext admin(List<String> database, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--tessera.data-dir=" + TestAdmin.newDataDir(),
                "--tessera.zookeeper.connect=" + zookeeper.getConnectString(),
                "--tessera.zookeeper.session-timeout=4s",
                "--tessera.cluster-secret=" + SECRET,
                "--tessera.advertised-host=127.0.0.1",
                "--tessera.engine.reconcile-interval=1s",
                "--tessera.engine.dispatch-timeout=2s",
                "--tessera.engine.finished-run-retention=10m"));
        args.addAll(database);
        args.addAll(List.of(more));
        ConfigurableApplicationContext admin = new SpringApplicationBuilder(TesseraAdminApplication.class)
                .run(args.toArray(String[]::new));
        admins.add(admin);
        await("the admin leads").atMost(Duration.ofSeconds(30))
                .until(() -> admin.getBean(SchedulingEngine.class).health().status().mode() == EngineHealth.Mode.SCHEDULING);
        return admin;
    }

    private static List<String> h2(Path dataDir) {
        return List.of("--spring.datasource.url=" + h2Url(dataDir), "--spring.datasource.username=sa",
                "--spring.datasource.password=");
    }

    private static String h2Url(Path dataDir) {
        return DatabaseDefaults.h2FileUrl(dataDir);
    }

    private static long createJob(ConfigurableApplicationContext admin) {
        return createJob(admin, "once");
    }

    private static long createJob(ConfigurableApplicationContext admin, String name) {
        return admin.getBean(JobService.class).create(JobDefinition.builder(name).group(GROUP).handler(HANDLER).build(), "test").id();
    }

    /** Triggers the job and waits for the run to end. */
    private static JobRun runOnce(ConfigurableApplicationContext admin, long jobId) {
        long runId = admin.getBean(RunService.class).trigger(jobId, null, null, TriggerKind.MANUAL).id();
        io.tessera.admin.store.RunStore runs = admin.getBean(io.tessera.admin.store.RunStore.class);
        await("run " + runId + " ends").atMost(Duration.ofSeconds(30))
                .until(() -> runs.find(runId).map(run -> run.status().isTerminal()).orElse(false));
        return runs.find(runId).orElseThrow();
    }

    // ---------------------------------------------------------------- what each side holds

    private String clusterIdInZooKeeper() throws Exception {
        try {
            return new String(client.getData().forPath(ZkLayout.CLUSTER_ID), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
    }

    private static String clusterIdIn(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             ResultSet row = connection.createStatement().executeQuery("SELECT cluster_id FROM cluster_identity")) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void onMariaDb(String sql) throws SQLException {
        try (Connection server = DriverManager.getConnection(TestMariaDb.SERVER_URL, TestMariaDb.USER, TestMariaDb.PASSWORD)) {
            server.createStatement().execute(sql);
        }
    }

    /** Runs a MariaDB client tool against the test server. */
    private static void mariaDbTool(List<String> command) throws Exception {
        List<String> full = new ArrayList<>(List.of(command.get(0), "--host=127.0.0.1", "--port=" + TestMariaDb.PORT,
                "--user=" + TestMariaDb.USER));
        full.addAll(command.subList(1, command.size()));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", String.join(" ", full), output).isZero();
    }
}
