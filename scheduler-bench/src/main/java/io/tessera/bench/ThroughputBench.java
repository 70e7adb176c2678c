package io.tessera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark: runs each load of a profile on a fresh cluster of separate processes and judges it
 * from the workers' ledgers and the cron. See {@link BenchOptions#USAGE} and README, "Measuring".
 */
public final class ThroughputBench {

    private static final AtomicReference<Trial> CURRENT = new AtomicReference<>();

    private ThroughputBench() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("scheduler-bench: " + e.getMessage() + "\n");
            }
            (e.getMessage() == null ? System.out : System.err).print(BenchOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        System.setProperty("java.awt.headless", "true");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Trial trial = CURRENT.get();
            if (trial != null) {
                System.err.println("bench: stopping the cluster and dropping its database");
                trial.cleanUp();
            }
        }, "bench-shutdown"));
        try {
            System.exit(run(options));
        } catch (Exception e) {
            System.err.println("scheduler-bench: " + e);
            System.exit(1);
        }
    }

    private static int run(BenchOptions options) throws IOException, SQLException, InterruptedException {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "tessera-bench");
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        String startLoad = loadAverage();
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(Instant.now());
        List<TrialResult> results = new ArrayList<>();
        StringBuilder rows = new StringBuilder(ResultsTable.header());
        StringBuilder extra = new StringBuilder();
        int failures = 0;
        String dbVersion;
        try (Database db = new Database(options.dbUrl(), options.dbUser(), options.dbPassword())) {
            dbVersion = db.version();
            for (String line : RunRegistry.reap(root, name -> dropQuietly(db, name))) {
                System.out.println("bench: " + line);
            }
            List<String> others = db.benchDatabases();
            if (!others.isEmpty()) {
                System.out.println("bench: note: databases " + others + " exist (another benchmark running now?)");
            }
            for (BenchOptions.Load load : options.loads()) {
                Path runDir = root.resolve(stamp + "-" + options.profile() + "-" + load.jobs() + "x" + load.shards());
                Trial trial = new Trial(options, load, runDir, db);
                CURRENT.set(trial);
                try {
                    TrialResult result = trial.run();
                    results.add(result);
                    rows.append(ResultsTable.row(options.profile(), result));
                    String verdict = ResultsTable.verdict(options.profile(), result);
                    System.out.println(verdict);
                    if (!result.samples().isEmpty() || !result.verdict().series().isEmpty()) {
                        extra.append("\nSeries of ").append(load.label()).append(" (every ")
                                .append(options.sampleEvery().toSeconds()).append(" s):\n")
                                .append(ResultsTable.series(result));
                    }
                    notes(extra, load, result);
                } catch (Exception e) {
                    failures++;
                    String why = e.getMessage() == null ? e.toString() : e.getMessage();
                    System.out.println("== " + load.label() + ": trial failed: " + why);
                    rows.append(ResultsTable.failedRow(options.profile(), load, options.agents(),
                            options.standaloneZooKeeper(), firstLine(why)));
                } finally {
                    CURRENT.set(null);
                }
            }
        }
        String machine = String.format(Locale.ROOT, "%d cores, %s GiB, load average %s at the start and %s at the end;"
                        + " Java %s; %s", Runtime.getRuntime().availableProcessors(), memoryGib(), startLoad, loadAverage(),
                System.getProperty("java.version"), dbVersion);
        String window = "window " + options.window().toSeconds() + " s after " + options.settle().toSeconds()
                + " s of settling; " + options.slots() + " slots per worker";
        ResultsTable.Context context = new ResultsTable.Context(date, commit(options.out()), machine, options.commandLine(),
                options.profile(), window);
        System.out.println("\n" + rows);
        if (options.record()) {
            Path file = options.out().resolve("results.md");
            ResultsTable.append(file, context, rows + extra.toString());
            System.out.println("bench: appended to " + file);
            if (options.profile().equals("sweep") && !results.isEmpty()) {
                Path png = options.out().resolve("lateness-throughput.png");
                BenchOptions.Load first = options.loads().get(0);
                LatenessChart.write(results, "Tessera: throughput and lateness against offered load",
                        String.format(Locale.ROOT, "commit %s, %s; %d shard(s) per job, %d agent JVM(s), %s ZooKeeper, %s",
                                context.commit(), date, first.shards(), options.agents(),
                                options.standaloneZooKeeper() ? "standalone" : "embedded", window), png);
                System.out.println("bench: drew " + png);
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static void notes(StringBuilder extra, BenchOptions.Load load, TrialResult r) {
        List<String> lines = new ArrayList<>(r.notes());
        r.healthDetails().forEach(d -> lines.add("health " + d));
        r.adminLog().top().forEach(t -> lines.add("admin log: " + t));
        r.workerLogs().top().forEach(t -> lines.add("worker log: " + t));
        if (r.recovery() != null) {
            lines.add(ResultsTable.recovery(r));
        }
        if (r.heapAfterGcKb() != null) {
            lines.add(String.format(Locale.ROOT, "admin heap after a full GC: %d MiB before, %d MiB after the window",
                    r.heapAfterGcKb()[0] / 1024, r.heapAfterGcKb()[1] / 1024));
        }
        if (lines.isEmpty()) {
            return;
        }
        extra.append("\n").append(load.label()).append(":\n");
        lines.forEach(l -> extra.append("- ").append(l.replace("|", "/")).append('\n'));
    }

    private static void dropQuietly(Database db, String name) {
        try {
            db.drop(name);
        } catch (SQLException | IllegalArgumentException e) {
            System.err.println("bench: could not drop " + name + ": " + e.getMessage());
        }
    }

    /** HEAD, and whether the tree differs from it; what this benchmark writes itself ({@code out}) does not count. */
    private static String commit(Path out) {
        String head = git("rev-parse", "--short", "HEAD");
        if (head == null) {
            return "unknown";
        }
        String dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)" + out);
        return head + (dirty != null && !dirty.isBlank() ? " (with uncommitted changes)" : "");
    }

    private static String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String memoryGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "?";
        }
        return "?";
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
