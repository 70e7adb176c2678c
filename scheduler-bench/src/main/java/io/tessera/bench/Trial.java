package io.tessera.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One load on one fresh cluster: database, ZooKeeper, admin, workers as separate processes; jobs over
 * the HTTP API; settle; the window; the wait for results; then everything stopped and the ledgers
 * judged. Every wait is bounded; {@link #cleanUp()} runs on any exit, also from a shutdown hook.
 */
final class Trial {

    private static final String GROUP = "bench";
    private static final String HANDLER = "ledger";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BenchOptions options;
    private final BenchOptions.Load load;
    private final Path runDir;
    private final Database db;
    private final RunRegistry registry;
    private final List<BenchProcess> processes = new CopyOnWriteArrayList<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final String database = "bench_" + HexFormat.of().formatHex(bytes(6));
    private final String secret = HexFormat.of().formatHex(bytes(16));
    private final String token = HexFormat.of().formatHex(bytes(16));
    private boolean databaseCreated;
    private boolean cleaned;

    private BenchProcess admin;
    private BenchProcess zookeeper;
    private final List<BenchProcess> workers = new ArrayList<>();
    private AdminClient client;
    private int zkPort;

    Trial(BenchOptions options, BenchOptions.Load load, Path runDir, Database db) throws IOException {
        this.options = options;
        this.load = load;
        this.runDir = runDir;
        this.db = db;
        this.registry = new RunRegistry(runDir);
    }

    TrialResult run() throws Exception {
        try {
            return measure();
        } finally {
            cleanUp();
        }
    }

    private TrialResult measure() throws Exception {
        say("database %s, logs in %s", database, runDir);
        registry.database(database);
        synchronized (this) {
            if (cleaned) {
                throw new IOException("the benchmark is stopping");
            }
            db.create(database);
            databaseCreated = true;
        }
        startZooKeeper();
        startAdmin();
        startWorkers();

        Set<Long> jobIds = ConcurrentHashMap.newKeySet();
        double creation = createJobs(jobIds);
        Instant windowStart = Instant.now().plus(options.settle()).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Instant windowEnd = windowStart.plus(options.window());
        List<Instant> fires = ExpectedFires.between(options.cron(), ZoneOffset.UTC, windowStart, windowEnd);
        long expected = (long) jobIds.size() * load.shards() * fires.size();
        say("%d jobs created in %.1f s; settling, then measuring %s .. %s (%d shard runs expected)", jobIds.size(),
                creation, windowStart, windowEnd, expected);

        boolean soak = !options.sampleEvery().isZero();
        long[] heap = soak ? new long[] {-1, -1} : null;
        if (soak) {
            sleepUntil(windowStart.minusSeconds(3));
            heap[0] = Jcmd.heapUsedKb(admin.pid(), true).orElse(-1);
        }
        Map<String, Integer> health = new ConcurrentHashMap<>();
        List<String> healthDetails = new CopyOnWriteArrayList<>();
        List<TrialResult.Sample> samples = new CopyOnWriteArrayList<>();
        ScheduledExecutorService samplers = Executors.newScheduledThreadPool(2, daemon("bench-sampler"));
        try {
            long untilStart = Math.max(0, Duration.between(Instant.now(), windowStart).toMillis());
            samplers.scheduleAtFixedRate(() -> sampleHealth(health, healthDetails), untilStart,
                    options.healthEvery().toMillis(), TimeUnit.MILLISECONDS);
            if (soak) {
                samplers.scheduleAtFixedRate(() -> samples.add(sample(windowStart)), untilStart,
                        options.sampleEvery().toMillis(), TimeUnit.MILLISECONDS);
            }
            sleepUntil(windowStart);
            Snapshot before = snapshot();
            Instant lastFire = fires.isEmpty() ? windowEnd : fires.get(fires.size() - 1);
            ExecutorService poller = Executors.newSingleThreadExecutor(daemon("bench-results"));
            long perFire = (long) jobIds.size() * load.shards();
            Future<long[]> results = poller.submit(() -> pollResults(fires, perFire, windowStart, windowEnd, expected,
                    lastFire));
            poller.shutdown();
            sleepUntil(windowEnd);
            Snapshot after = snapshot();
            samplers.shutdownNow();
            TrialResult.Recovery recovery = options.dropTo() > 0 ? recover(jobIds) : null;
            say("window over; waiting up to %d s for the window's results in the database",
                    options.resultsTimeout().toSeconds());
            long[] polled = results.get(options.resultsTimeout().toSeconds() + 30, TimeUnit.SECONDS);
            if (soak) {
                heap[1] = Jcmd.heapUsedKb(admin.pid(), true).orElse(-1);
            }
            return finish(jobIds, fires, windowStart, windowEnd, expected, polled, before, after, health,
                    healthDetails, heap, samples, creation, recovery);
        } finally {
            samplers.shutdownNow();
        }
    }

    private TrialResult finish(Set<Long> jobIds, List<Instant> fires, Instant windowStart, Instant windowEnd,
                               long expected, long[] polled, Snapshot before, Snapshot after,
                               Map<String, Integer> health, List<String> healthDetails, long[] heap,
                               List<TrialResult.Sample> samples, double creation, TrialResult.Recovery recovery)
            throws IOException {
        // What the logs said until now, before stopping adds its own noise (lost sessions, refused claims).
        List<Path> workerLogs = workers.stream().map(BenchProcess::log).toList();
        Map<Path, Long> logSizes = LogScan.sizes(java.util.stream.Stream.concat(Stream.of(admin.log()),
                workerLogs.stream()).toList());
        // Workers first: TERM runs their shutdown hook, which writes the rest of the ledger.
        for (BenchProcess worker : workers) {
            worker.stop(Duration.ofSeconds(15));
            if (worker.forced()) {
                notes.add(worker.name() + " did not stop within 15 s and was killed: up to 50 ms of its ledger may be lost");
            }
        }
        List<Path> ledgers = new ArrayList<>();
        for (int k = 1; k <= workers.size(); k++) {
            ledgers.add(runDir.resolve("worker-" + k + ".ledger"));
        }
        Ledgers.Read read = Ledgers.read(ledgers);
        stopServers();
        LedgerVerdict verdict = LedgerAnalysis.analyse(read.entries(), jobIds, load.shards(), fires, windowStart,
                windowEnd, options.sampleEvery().isZero() ? null : options.sampleEvery());
        Duration delay = polled[1] < 0 ? null : Duration.ofMillis(polled[1]);
        Map<String, Double> cpu = new LinkedHashMap<>();
        before.cpu.forEach((name, start) -> {
            Double end = after.cpu.get(name);
            if (end != null) {
                cpu.put(name, end - start);
            }
        });

        return new TrialResult(load, options.agents(), options.standaloneZooKeeper(), windowStart, options.window(),
                verdict, read.badLines(), expected, polled[0], delay, options.resultsTimeout(), cpu,
                delta(before.zk, after.zk), before.zk.get("zk_znode_count"), after.zk.get("zk_znode_count"),
                delta(before.db, after.db), Map.copyOf(health), List.copyOf(healthDetails),
                heap == null ? null : heap, List.copyOf(samples), LogScan.summarize(List.of(admin.log()), logSizes),
                LogScan.summarize(workerLogs, logSizes),
                creation, List.copyOf(notes), recovery);
    }

    /**
     * With --jfr DIR: each JVM records CPU samples from its start ({@code cpu-samples.jfc}, light
     * enough to leave the window as it is; starting a recording in the middle of the window stalled
     * the processes for seconds) and writes them at exit; read the window's part by its time.
     */
    private List<String> withProfile(List<String> jvm, String name) throws IOException {
        if (options.jfr() == null) {
            return jvm;
        }
        Files.createDirectories(options.jfr());
        Path settings = options.jfr().resolve("cpu-samples.jfc").toAbsolutePath();
        try (var in = Trial.class.getResourceAsStream("/cpu-samples.jfc")) {
            Files.write(settings, in.readAllBytes());
        }
        Path file = options.jfr().resolve(load.label().replace('×', 'x') + "-" + name + ".jfr").toAbsolutePath();
        List<String> options = new ArrayList<>(jvm);
        options.add("-XX:StartFlightRecording=settings=" + settings + ",filename=" + file + ",dumponexit=true");
        return options;
    }

    private void startZooKeeper() throws IOException, InterruptedException {
        zkPort = freePort();
        if (!options.standaloneZooKeeper()) {
            return;
        }
        Path dir = runDir.resolve("zookeeper");
        Files.createDirectories(dir.resolve("data"));
        Path cfg = dir.resolve("zoo.cfg");
        // ZooKeeper's defaults otherwise, fsync included: measure what users run.
        Files.writeString(cfg, String.join("\n",
                "tickTime=1000",
                "dataDir=" + dir.resolve("data").toAbsolutePath(),
                "clientPort=" + zkPort,
                "clientPortAddress=127.0.0.1",
                "maxClientCnxns=0",
                "admin.enableServer=false",
                "4lw.commands.whitelist=mntr,srvr,ruok",
                ""), StandardCharsets.UTF_8);
        zookeeper = launch("zookeeper", javaCommand(withProfile(List.of("-Xmx512m"), "zookeeper"), "-cp", benchClassPath(),
                BenchZooKeeper.class.getName(), Long.toString(ProcessHandle.current().pid()), cfg.toString()), Map.of());
        await(() -> ZkFourLetter.ruok("127.0.0.1", zkPort), Duration.ofSeconds(30), zookeeper, "ZooKeeper to answer ruok");
    }

    private void startAdmin() throws IOException, InterruptedException {
        Path adminJar = options.adminJar().toAbsolutePath();
        if (!Files.isRegularFile(adminJar)) {
            throw new IOException("no admin jar at " + adminJar + ": build it with mvn -B -q -DskipTests package,"
                    + " or name it with --admin-jar");
        }
        int httpPort = freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + httpPort,
                "--spring.datasource.url=" + db.urlOf(database),
                "--spring.datasource.username=" + options.dbUser(),
                "--spring.datasource.password=" + options.dbPassword(),
                "--tessera.cluster-secret=" + secret,
                "--tessera.api.bootstrap-token=" + token,
                "--tessera.data-dir=" + runDir.resolve("admin").toAbsolutePath(),
                "--tessera.advertised-host=127.0.0.1",
                options.standaloneZooKeeper() ? "--tessera.zookeeper.connect=127.0.0.1:" + zkPort
                        : "--tessera.zookeeper.embedded-port=" + zkPort));
        args.addAll(options.adminArgs());
        List<String> command = javaCommand(withProfile(options.adminJvm(), "admin"), "-jar", adminJar.toString());
        command.addAll(args);
        admin = launch("admin", command, Map.of());
        client = new AdminClient(URI.create("http://127.0.0.1:" + httpPort), token);
        await(() -> "UP".equals(client.health(Duration.ofSeconds(3)).status()), Duration.ofSeconds(240), admin,
                "the admin's /actuator/health to say UP");
        try {
            if (ZkFourLetter.mntr("127.0.0.1", zkPort).isEmpty()) {
                notes.add("ZooKeeper refused mntr (is 4lw.commands.whitelist set?): no ZooKeeper request counts");
            }
        } catch (IOException e) {
            notes.add("mntr failed: " + e);
        }
    }

    private void startWorkers() throws IOException, InterruptedException {
        List<Path> ready = new ArrayList<>();
        for (int k = 1; k <= options.agents(); k++) {
            Path readyFile = runDir.resolve("worker-" + k + ".ready");
            ready.add(readyFile);
            List<String> command = javaCommand(withProfile(options.workerJvm(), "worker-" + k), "-cp", benchClassPath(),
                    LedgerWorker.class.getName(),
                    "--zookeeper", "127.0.0.1:" + zkPort,
                    "--group", GROUP,
                    "--handler", HANDLER,
                    "--ledger", runDir.resolve("worker-" + k + ".ledger").toString(),
                    "--data-dir", runDir.resolve("worker-" + k).toString(),
                    "--slots", Integer.toString(options.slots()),
                    "--admin-url", client.base().toString(),
                    "--ready-file", readyFile.toString(),
                    "--parent-pid", Long.toString(ProcessHandle.current().pid()),
                    "--no-detect");
            workers.add(launch("worker-" + k, command, Map.of("TESSERA_CLUSTER_SECRET", secret)));
        }
        for (int k = 0; k < workers.size(); k++) {
            Path file = ready.get(k);
            await(() -> Files.exists(file), Duration.ofSeconds(90), workers.get(k), workers.get(k).name() + " to start");
        }
        await(() -> client.executors(GROUP).orElse(-1) == options.agents(), Duration.ofSeconds(60), admin,
                "the admin to list " + options.agents() + " executor(s) in group " + GROUP);
    }

    /** Creates the jobs over a few concurrent connections; returns the seconds it took. */
    private double createJobs(Set<Long> ids) throws Exception {
        long started = System.nanoTime();
        concurrently(load.jobs(), "bench-create", i -> ids.add(client.createJob("bench-" + i, GROUP, options.cron(),
                HANDLER, load.shards())));
        return (System.nanoTime() - started) / 1e9;
    }

    /** One API call of many, by its index. */
    private interface Call {
        void run(int index) throws Exception;
    }

    /** Makes {@code count} calls over {@code --connections} concurrent connections; bounded in time. */
    private void concurrently(int count, String threadName, Call call) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.connections(), daemon(threadName));
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int c = 0; c < options.connections(); c++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        call.run(i);
                    }
                    return null;
                }));
            }
            long bound = 120 + count / 5L;
            for (Future<Void> f : done) {
                f.get(bound, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The load drops: every job but the first {@code dropTo} (by id) is paused over the API; then health is
     * read every second until it says UP three times in a row, for at most three minutes.
     */
    private TrialResult.Recovery recover(Set<Long> jobIds) throws Exception {
        List<Long> paused = jobIds.stream().sorted().skip(options.dropTo()).toList();
        say("dropping the load: pausing %d of %d jobs", paused.size(), jobIds.size());
        long started = System.nanoTime();
        concurrently(paused.size(), "bench-pause", i -> client.pauseJob(paused.get(i)));
        Duration pausing = Duration.ofNanos(System.nanoTime() - started);
        Instant dropped = Instant.now();
        Duration bound = Duration.ofMinutes(3);
        Map<String, Integer> statuses = new LinkedHashMap<>();
        String lastDetail = null;
        Instant firstUp = null;
        int upInARow = 0;
        while (Duration.between(dropped, Instant.now()).compareTo(bound) < 0) {
            Instant at = Instant.now();
            AdminClient.Health h = client.health(Duration.ofSeconds(2));
            statuses.merge(h.status(), 1, Integer::sum);
            if ("UP".equals(h.status())) {
                firstUp = upInARow++ == 0 ? at : firstUp;
                if (upInARow == 3) {
                    break;
                }
            } else {
                upInARow = 0;
                lastDetail = h.detail();
            }
            sleepUntil(at.plusSeconds(1));
        }
        Duration untilUp = upInARow == 3 ? Duration.between(dropped, firstUp).isNegative() ? Duration.ZERO
                : Duration.between(dropped, firstUp) : null;
        say("pausing took %.1f s; health %s", pausing.toMillis() / 1000.0,
                untilUp == null ? "not UP within " + bound.toSeconds() + " s" : "UP again after " + untilUp.toMillis() / 1000.0 + " s");
        return new TrialResult.Recovery(options.dropTo(), pausing, untilUp, bound, statuses, lastDetail);
    }

    /**
     * Follows the window's fires in order, from its start: each fire's results are counted (a cheap
     * query, by scheduled time) every 100 ms until all are SUCCEEDED, then the next fire's. Returns
     * {count, millis from lastFire until the count that found the last fire's results complete began,
     * or -1}; every earlier fire was complete before that. On timeout, one count over the whole window.
     */
    private long[] pollResults(List<Instant> fires, long perFire, Instant from, Instant to, long expected,
                               Instant lastFire) throws InterruptedException {
        Instant deadline = to.plus(options.resultsTimeout());
        Instant verifiedAt = null;
        int next = 0;
        int failures = 0;
        while (next < fires.size() && Instant.now().isBefore(deadline)) {
            Instant fire = fires.get(next);
            if (Instant.now().isBefore(fire)) {
                sleepUntil(fire);
                continue;
            }
            Instant asked = Instant.now();
            try {
                if (db.succeededShardsAt(database, fire) >= perFire) {
                    verifiedAt = asked;
                    next++;
                    continue;
                }
            } catch (SQLException e) {
                if (failures++ == 0) {
                    notes.add("counting results failed (" + e.getMessage() + "); retried every 100 ms");
                }
            }
            Thread.sleep(100);
        }
        if (next == fires.size()) {
            long delay = verifiedAt == null ? 0 : Math.max(0, Duration.between(lastFire, verifiedAt).toMillis());
            return new long[] {expected, delay};
        }
        long count = -1;
        try {
            count = db.succeededShards(database, from, to);
        } catch (SQLException e) {
            notes.add("counting the window's results failed: " + e.getMessage());
        }
        return new long[] {count, -1};
    }

    private record Snapshot(Map<String, Double> cpu, Map<String, Long> zk, Map<String, Long> db) {
    }

    private Snapshot snapshot() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (BenchProcess p : processes) {
            String name = p == admin && !options.standaloneZooKeeper() ? "admin+zk" : p.name();
            ProcStat.cpuSeconds(p.pid()).ifPresent(s -> cpu.put(name, s));
        }
        ProcStat.findByName("mariadbd", "mysqld").ifPresent(pid ->
                ProcStat.cpuSeconds(pid).ifPresent(s -> cpu.put("mariadb", s)));
        ProcStat.cpuSeconds(ProcessHandle.current().pid()).ifPresent(s -> cpu.put("bench", s));
        Map<String, Long> zk;
        try {
            zk = ZkFourLetter.mntr("127.0.0.1", zkPort);
        } catch (IOException e) {
            zk = Map.of();
        }
        Map<String, Long> status;
        try {
            status = db.globalStatus();
        } catch (SQLException e) {
            notes.add("SHOW GLOBAL STATUS failed: " + e.getMessage());
            status = Map.of();
        }
        return new Snapshot(cpu, zk, status);
    }

    private void sampleHealth(Map<String, Integer> counts, List<String> details) {
        AdminClient.Health h = client.health(Duration.ofSeconds(2));
        if (Thread.currentThread().isInterrupted()) {
            return; // the window ended while this reading was under way: the sampler is being stopped
        }
        counts.merge(h.status(), 1, Integer::sum);
        String detail = h.detail();
        if (!"UP".equals(h.status()) && details.size() < 3 && !details.contains(detail)) {
            details.add(detail);
        }
    }

    private TrialResult.Sample sample(Instant windowStart) {
        double at = Duration.between(windowStart, Instant.now()).toMillis() / 1000.0;
        Long heap = Jcmd.heapUsedKb(admin.pid(), false).stream().boxed().findFirst().orElse(null);
        Long znodes = null, bytes = null;
        try {
            Map<String, Long> m = ZkFourLetter.mntr("127.0.0.1", zkPort);
            znodes = m.get("zk_znode_count");
            bytes = m.get("zk_approximate_data_size");
        } catch (IOException ignored) {
            // a missing sample shows as a gap
        }
        Double cpu = ProcStat.cpuSeconds(admin.pid()).stream().boxed().findFirst().orElse(null);
        return new TrialResult.Sample(at, heap, znodes, bytes, cpu);
    }

    private void stopServers() {
        if (admin != null) {
            admin.stop(Duration.ofSeconds(30));
            if (admin.forced()) {
                notes.add("the admin did not stop within 30 s of TERM and was killed");
            }
        }
        if (zookeeper != null) {
            zookeeper.stop(Duration.ofSeconds(10));
        }
    }

    /** Stops every process and drops the database; idempotent, safe from a shutdown hook. */
    synchronized void cleanUp() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        // Newest first: workers, then the admin, then ZooKeeper.
        List<BenchProcess> started = new ArrayList<>(processes);
        java.util.Collections.reverse(started);
        for (BenchProcess p : started) {
            p.stop(Duration.ofSeconds(p == admin ? 30 : 10));
        }
        if (databaseCreated) {
            try {
                db.drop(database);
            } catch (SQLException e) {
                System.err.println("bench: could not drop database " + database + ": " + e.getMessage());
                return;
            }
        }
        try {
            registry.clear();
            if (!options.keep()) {
                deleteData();
            }
        } catch (IOException e) {
            System.err.println("bench: clean-up of " + runDir + ": " + e);
        }
    }

    /** Ledgers and data directories go (a soak's ledgers are hundreds of MB); logs and zoo.cfg stay. */
    private void deleteData() throws IOException {
        try (var children = Files.list(runDir)) {
            for (Path p : children.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".ledger") || name.endsWith(".ready")) {
                    Files.deleteIfExists(p);
                } else if (Files.isDirectory(p)) {
                    deleteTree(name.equals("zookeeper") ? p.resolve("data") : p);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Synchronized with {@link #cleanUp()}: nothing starts once clean-up has begun (e.g. from Ctrl-C). */
    private synchronized BenchProcess launch(String name, List<String> command, Map<String, String> env)
            throws IOException {
        if (cleaned) {
            throw new IOException("the benchmark is stopping; not starting " + name);
        }
        BenchProcess p = BenchProcess.start(name, command, runDir.resolve(name + ".log"), env);
        processes.add(p);
        registry.process(name, p.handle());
        return p;
    }

    private void await(BooleanSupplier condition, Duration timeout, BenchProcess watched, String what)
            throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (!watched.alive()) {
                throw new IOException(watched + " exited while waiting for " + what + "; see " + watched.log()
                        + LogScan.tail(watched.log(), 15));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("gave up after " + timeout.toSeconds() + " s waiting for " + what + "; see "
                        + watched.log() + LogScan.tail(watched.log(), 15));
            }
            Thread.sleep(250);
        }
    }

    private static List<String> javaCommand(List<String> jvmOptions, String... rest) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(rest));
        return command;
    }

    private static String benchClassPath() {
        return System.getProperty("java.class.path");
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new LinkedHashMap<>();
        before.forEach((k, v) -> {
            Long end = after.get(k);
            if (end != null) {
                d.put(k, end - v);
            }
        });
        return d;
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void say(String format, Object... args) {
        System.out.printf("[%s] " + format + "%n", prepend(load.label(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
