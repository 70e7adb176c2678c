package io.tessera.bench.chaos;

import io.tessera.bench.ZkFourLetter;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The cluster under test, every part its own process that the faults can kill, stop and restart:
 * a MariaDB on its own port and data directory, a 3-server ZooKeeper ensemble, 3 admins (the packaged
 * jar) and 4 chaos workers. A watchdog shell kills whatever is listed in the pid directory when this
 * JVM dies, even of kill -9; {@link #close()} stops everything and deletes the database's files.
 */
final class ChaosCluster implements AutoCloseable {

    static final int ADMINS = 3;
    static final int WORKERS = 4;
    static final int ZOOKEEPERS = 3;
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    /** The worker that runs in its own network namespace, when this machine allows one: the delay's target. */
    static final int ISOLATED_WORKER = WORKERS - 1;

    private final Path dir;
    private final Path adminJar;
    private final Path pids;
    private final int failPercent;
    private final long seed;
    private final String secret = hex(16);
    private final String token = hex(16);
    private final int dbPort = freePort();
    private final int[] zkClient = new int[ZOOKEEPERS];
    private final int[] adminPort = new int[ADMINS];
    private final ChaosProcess[] zookeepers = new ChaosProcess[ZOOKEEPERS];
    private final ChaosProcess[] admins = new ChaosProcess[ADMINS];
    private final ChaosProcess[] workers = new ChaosProcess[WORKERS];
    private ChaosProcess database;
    private ChaosNetwork network;
    private String networkRefusal;
    private Process watchdog;
    private boolean closed;

    ChaosCluster(Path dir, Path adminJar, int failPercent, long seed) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.adminJar = adminJar.toAbsolutePath();
        this.pids = this.dir.resolve("pids");
        this.failPercent = failPercent;
        this.seed = seed;
        if (!Files.isRegularFile(this.adminJar)) {
            throw new IOException("no admin jar at " + this.adminJar
                    + ": build it with mvn -B -o -q -pl scheduler-bench -am package -DskipTests");
        }
        Files.createDirectories(pids);
    }

    Path dir() {
        return dir;
    }

    /** Starts everything; returns when the admins list all workers. */
    void start() throws Exception {
        isolateOneWorker();
        startWatchdog();
        startDatabase(true);
        for (int i = 0; i < ZOOKEEPERS; i++) {
            zkClient[i] = freePort();
        }
        int[] peer = {freePort(), freePort(), freePort()};
        int[] election = {freePort(), freePort(), freePort()};
        for (int i = 0; i < ZOOKEEPERS; i++) {
            writeZooCfg(i, peer, election);
            startZooKeeper(i);
        }
        for (int i = 0; i < ZOOKEEPERS; i++) {
            int port = zkClient[i];
            await(() -> ZkFourLetter.ruok(clusterHost(), port), Duration.ofSeconds(60), "zk-" + (i + 1) + " to answer ruok");
        }
        for (int i = 0; i < ADMINS; i++) {
            adminPort[i] = freePort();
            startAdmin(i);
        }
        for (int i = 0; i < ADMINS; i++) {
            ChaosApi api = api(i);
            await(api::up, Duration.ofSeconds(240), "admin-" + (i + 1) + " to say UP");
        }
        for (int i = 0; i < WORKERS; i++) {
            startWorker(i);
        }
        await(() -> api(0).executors() == WORKERS, Duration.ofSeconds(120), "the admins to list " + WORKERS + " workers");
    }

    // --- the database

    void startDatabase(boolean fresh) throws Exception {
        Path data = dir.resolve("mariadb");
        if (fresh) {
            Files.createDirectories(data);
            Process install = new ProcessBuilder("mariadb-install-db", "--no-defaults", "--datadir=" + data,
                    "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mariadb-install.log").toFile()).start();
            if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
                throw new IOException("mariadb-install-db failed; see " + dir.resolve("mariadb-install.log"));
            }
        }
        database = ChaosProcess.start("mariadb", List.of(mariadbd(), "--no-defaults", "--datadir=" + data,
                "--port=" + dbPort, "--bind-address=127.0.0.1", "--socket=" + data.resolve("mysqld.sock"),
                "--pid-file=" + data.resolve("mysqld.pid"), "--user=root", "--skip-log-bin",
                "--innodb-buffer-pool-size=64M", "--max-connections=500"),
                dir.resolve("mariadb.log"), pids, Map.of());
        await(this::databaseAnswers, Duration.ofSeconds(60), "MariaDB on port " + dbPort);
        if (fresh) {
            try (Connection c = connect(""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE tessera CHARACTER SET utf8mb4");
            }
        }
    }

    void killDatabase() {
        database.kill();
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + dbPort + "/" + database
                + "?connectTimeout=3000&socketTimeout=60000", "root", "");
    }

    private boolean databaseAnswers() {
        try (Connection c = connect("")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String mariadbd() {
        return Files.isExecutable(Path.of("/usr/sbin/mariadbd")) ? "/usr/sbin/mariadbd" : "mariadbd";
    }

    // --- ZooKeeper

    private void writeZooCfg(int i, int[] peer, int[] election) throws IOException {
        Path data = Files.createDirectories(dir.resolve("zk-" + (i + 1)));
        Files.writeString(data.resolve("myid"), Integer.toString(i + 1));
        StringBuilder cfg = new StringBuilder(String.join("\n", "tickTime=500", "initLimit=20", "syncLimit=10",
                "dataDir=" + data, "clientPort=" + zkClient[i], "clientPortAddress=" + clusterHost(),
                "maxSessionTimeout=60000", "admin.enableServer=false", "4lw.commands.whitelist=ruok,srvr,mntr",
                "maxClientCnxns=0", ""));
        for (int n = 0; n < ZOOKEEPERS; n++) {
            cfg.append("server.").append(n + 1).append("=127.0.0.1:").append(peer[n]).append(':').append(election[n]).append('\n');
        }
        Files.writeString(data.resolve("zoo.cfg"), cfg.toString(), StandardCharsets.UTF_8);
    }

    void startZooKeeper(int i) throws IOException {
        zookeepers[i] = launch("zk-" + (i + 1), java(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                "-cp", System.getProperty("java.class.path"), ChaosZooKeeper.class.getName(),
                Long.toString(ProcessHandle.current().pid()), dir.resolve("zk-" + (i + 1)).resolve("zoo.cfg").toString()),
                Map.of());
    }

    void killZooKeeper(int i) {
        zookeepers[i].kill();
    }

    String zkConnect() {
        StringBuilder s = new StringBuilder();
        for (int port : zkClient) {
            s.append(s.isEmpty() ? "" : ",").append(clusterHost()).append(':').append(port);
        }
        return s.toString();
    }

    /** True when at least two servers say they serve (a quorum). */
    boolean zooKeeperQuorum() {
        int serving = 0;
        for (int port : zkClient) {
            try {
                String srvr = ZkFourLetter.send(clusterHost(), port, "srvr");
                serving += srvr.contains("Mode: leader") || srvr.contains("Mode: follower") ? 1 : 0;
            } catch (IOException e) {
                // not serving
            }
        }
        return serving >= 2;
    }

    // --- admins

    void startAdmin(int i) throws IOException {
        String id = adminId(i);
        List<String> command = java(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xss512k"), "-jar", adminJar.toString(),
                "--server.port=" + adminPort[i],
                "--spring.datasource.url=jdbc:mariadb://127.0.0.1:" + dbPort + "/tessera",
                "--spring.datasource.username=root",
                "--spring.datasource.password=",
                "--tessera.zookeeper.connect=" + zkConnect(),
                "--tessera.zookeeper.session-timeout=" + SESSION_TIMEOUT.toSeconds() + "s",
                "--tessera.engine.admin-id=" + id,
                "--tessera.cluster-secret=" + secret,
                "--tessera.api.bootstrap-token=" + token,
                "--tessera.data-dir=" + dir.resolve(id),
                "--tessera.advertised-host=" + clusterHost());
        admins[i] = launch(id, command, Map.of());
    }

    static String adminId(int i) {
        return "admin-" + (i + 1);
    }

    ChaosProcess admin(int i) {
        return admins[i];
    }

    Path adminLog(int i) {
        return dir.resolve(adminId(i) + ".log");
    }

    ChaosApi api(int i) {
        return new ChaosApi(URI.create("http://127.0.0.1:" + adminPort[i]), token);
    }

    /** The leader as the first live admin that answers names it; empty when none does. */
    Optional<Integer> leader() {
        for (int i = 0; i < ADMINS; i++) {
            if (admins[i] != null && admins[i].alive()) {
                Optional<String> leader = api(i).leader();
                if (leader.isPresent()) {
                    for (int k = 0; k < ADMINS; k++) {
                        if (adminId(k).equals(leader.get())) {
                            return Optional.of(k);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** An API of an admin that is alive, starting the search at {@code from}. */
    Optional<ChaosApi> liveApi(int from) {
        for (int k = 0; k < ADMINS; k++) {
            int i = Math.floorMod(from + k, ADMINS);
            if (admins[i] != null && admins[i].alive()) {
                return Optional.of(api(i));
            }
        }
        return Optional.empty();
    }

    // --- workers

    void startWorker(int i) throws IOException {
        String id = workerId(i);
        boolean isolated = i == ISOLATED_WORKER && network != null;
        List<String> command = java(List.of("-Xmx160m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"),
                "-cp", System.getProperty("java.class.path"), ChaosWorker.class.getName(),
                "--host", isolated ? network.agentAddress() : "127.0.0.1",
                "--zookeeper", zkConnect(),
                "--ledger", ledger(i).toString(),
                "--store", dir.resolve("fenced-store").toString(),
                "--executor-id", id,
                "--data-dir", dir.resolve(id).toString(),
                "--session-timeout", Long.toString(SESSION_TIMEOUT.toSeconds()),
                "--fail-percent", Integer.toString(failPercent),
                "--seed", Long.toString(seed),
                "--slots", "8",
                "--parent-pid", Long.toString(ProcessHandle.current().pid()));
        workers[i] = launch(id, isolated ? network.inside(command) : command, Map.of("TESSERA_CLUSTER_SECRET", secret));
    }

    // --- the isolated worker's network

    /**
     * Puts the last worker in a network namespace of its own, so that a {@code tc} delay slows it alone.
     * Where the machine refuses, every process stays on 127.0.0.1 and the delay fault is skipped, saying why.
     */
    private void isolateOneWorker() {
        try {
            network = ChaosNetwork.create();
            System.out.println("[chaos] " + workerId(ISOLATED_WORKER) + " runs in network namespace " + network
                    + (network.delayKind() == null ? "; no delay possible: " + network.delayRefusal()
                    : "; its delay: " + network.delayKind().what));
        } catch (IOException e) {
            networkRefusal = "no network namespace for one agent: " + e.getMessage();
            System.out.println("[chaos] " + networkRefusal + "; every worker runs on 127.0.0.1");
        }
    }

    /** Where ZooKeeper and the admins are reached: the veth's host end when one worker is isolated. */
    String clusterHost() {
        return network == null ? "127.0.0.1" : network.hostAddress();
    }

    /** The isolated worker's network, or empty with {@link #networkRefusal()} saying why there is none. */
    Optional<ChaosNetwork> network() {
        return Optional.ofNullable(network);
    }

    String networkRefusal() {
        return networkRefusal;
    }

    static String workerId(int i) {
        return "worker-" + (i + 1);
    }

    ChaosProcess worker(int i) {
        return workers[i];
    }

    Path ledger(int i) {
        return dir.resolve(workerId(i) + ".ledger");
    }

    List<Path> ledgers() {
        List<Path> all = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            all.add(ledger(i));
        }
        return all;
    }

    // --- life cycle

    /** Workers first (TERM lets them finish their ledger lines), then admins, ZooKeeper, the database. */
    void stopAll() {
        for (ChaosProcess p : workers) {
            if (p != null) {
                p.stop(15);
            }
        }
        for (ChaosProcess p : admins) {
            if (p != null) {
                p.stop(20);
            }
        }
        for (ChaosProcess p : zookeepers) {
            if (p != null) {
                p.stop(10);
            }
        }
        if (database != null) {
            database.stop(30);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAll();
        if (watchdog != null) {
            watchdog.destroyForcibly();
        }
        if (network != null) {
            network.close();
        }
        deleteTree(dir.resolve("mariadb"));
        deleteTree(dir.resolve("fenced-store"));
        for (int i = 0; i < ZOOKEEPERS; i++) {
            deleteTree(dir.resolve("zk-" + (i + 1)).resolve("version-2"));
        }
    }

    /** A shell that waits for this JVM to end, then kill -9s every pid still listed. */
    private void startWatchdog() throws IOException {
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; "
                + "for f in '" + pids + "'/*.pid; do [ -f \"$f\" ] && kill -9 \"$(cat \"$f\")\" 2>/dev/null; done; "
                + (network == null ? "" : network.removalCommand() + "; ") + "exit 0";
        watchdog = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private synchronized ChaosProcess launch(String name, List<String> command, Map<String, String> env) throws IOException {
        if (closed) {
            throw new IOException("the chaos cluster is closing; not starting " + name);
        }
        return ChaosProcess.start(name, command, dir.resolve(name + ".log"), pids, env);
    }

    private static List<String> java(List<String> jvm, String... rest) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(List.of(rest));
        return command;
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("gave up after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("chaos: could not delete " + root + ": " + e);
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
