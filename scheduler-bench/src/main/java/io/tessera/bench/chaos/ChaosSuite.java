package io.tessera.bench.chaos;

import io.tessera.bench.ExpectedFires;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chaos suite: a whole cluster as separate processes, a load, faults on a seeded schedule, and a
 * verdict from the ledgers, the cron and the database. Exit status 0 when the verdict passes, 1 when
 * it does not, 2 on a usage error, 3 when the run itself could not be made.
 *
 * <pre>
 * java -cp scheduler-bench/target/scheduler-bench.jar io.tessera.bench.chaos.ChaosSuite
 *      [--profile chaos-short|chaos-long] [--duration 30m] [--seed N] [--fail-percent 5]
 *      [--admin-jar scheduler-admin/target/scheduler-admin.jar] [--dir DIR] [--report-dir docs/chaos]
 * </pre>
 * chaos-short: every fault once, spread over 150 s (about 5 minutes in all with start-up); prints the
 * summary. chaos-long: random faults about every 30 s for {@code --duration}; also writes the markdown
 * report and the timeline plot to {@code --report-dir}.
 */
public final class ChaosSuite {

    private ChaosSuite() {
    }

    public static void main(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("chaos: unknown or incomplete argument '" + args[i] + "'; see the class comment");
                System.exit(2);
            }
            o.put(args[i], args[++i]);
        }
        String profile = o.getOrDefault("--profile", "chaos-short");
        if (!profile.equals("chaos-short") && !profile.equals("chaos-long")) {
            System.err.println("chaos: --profile is chaos-short or chaos-long, was " + profile);
            System.exit(2);
        }
        boolean isLong = profile.equals("chaos-long");
        Duration duration = parseDuration(o.getOrDefault("--duration", isLong ? "30m" : "150s"));
        long seed = Long.parseLong(o.getOrDefault("--seed", Long.toString(isLong ? System.currentTimeMillis() : 12)));
        int failPercent = Integer.parseInt(o.getOrDefault("--fail-percent", "5"));
        Path adminJar = Path.of(o.getOrDefault("--admin-jar", "scheduler-admin/target/scheduler-admin.jar"));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path dir = Path.of(o.getOrDefault("--dir", "target/chaos/" + profile + "-" + stamp));
        Path reportDir = Path.of(o.getOrDefault("--report-dir", "docs/chaos"));
        try {
            Files.createDirectories(dir);
            ChaosReport report = run(profile, isLong, duration, seed, failPercent, adminJar, dir,
                    isLong ? reportDir : dir, stamp);
            System.out.println(report.console());
            System.exit(report.verdict().passed() ? 0 : 1);
        } catch (Exception e) {
            System.err.println("chaos: the run could not be made: " + e);
            e.printStackTrace();
            System.exit(3);
        }
    }

    static ChaosReport run(String profile, boolean isLong, Duration duration, long seed, int failPercent, Path adminJar,
                           Path dir, Path reportDir, String stamp) throws Exception {
        Instant began = Instant.now();
        ChaosCluster cluster = new ChaosCluster(dir, adminJar, failPercent, seed);
        Thread hook = new Thread(cluster::close, "chaos-clean-up");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            say("starting the cluster in %s (seed %d)", dir.toAbsolutePath(), seed);
            cluster.start();
            Duration startup = Duration.between(began, Instant.now());
            say("cluster up after %d s; creating the load", startup.toSeconds());
            ChaosLoad load = new ChaosLoad(cluster);
            load.create();
            Instant loadStart = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
            load.startTriggers();

            ChaosFaults faults = new ChaosFaults(cluster, seed);
            Thread.sleep(Duration.ofSeconds(15).toMillis());
            Instant faultsUntil = Instant.now().plus(duration);
            List<ChaosFaults.Kind> plan = isLong ? List.of() : faults.eachOnce();
            long mean = isLong ? 30 : Math.max(5, duration.toSeconds() / plan.size());
            for (int n = 0; isLong ? Instant.now().isBefore(faultsUntil) : n < plan.size(); n++) {
                ChaosFaults.Kind kind = isLong ? faults.any() : plan.get(n);
                say("fault %d: %s", n + 1, kind.what);
                faults.inject(kind);
                Thread.sleep(faults.gapSeconds(mean) * 1000);
            }
            faults.finish();
            say("faults over; %d s of calm, then the jobs are paused", 25);
            Thread.sleep(25_000);
            Instant pausedAt = Instant.now();
            load.stop();
            Instant windowEnd = pausedAt.minusSeconds(10);

            Duration drainLimit = Duration.ofSeconds(isLong ? 180 : 90);
            Instant drainStart = Instant.now();
            boolean drained = drain(cluster, drainLimit);
            long drainSeconds = Duration.between(drainStart, Instant.now()).toSeconds();
            say("drain %s after %d s; stopping the workers and reading the evidence", drained ? "done" : "NOT done", drainSeconds);
            for (int i = 0; i < ChaosCluster.WORKERS; i++) {
                cluster.worker(i).stop(15);
            }
            List<ChaosAnalysis.DbRun> runs;
            Map<ChaosRecord.ShardKey, String> shards;
            try (Connection c = cluster.connect("tessera")) {
                runs = ChaosEvidence.runs(c);
                shards = ChaosEvidence.shardStatus(c);
            }
            ChaosEvidence.Ledgers ledgers = ChaosEvidence.ledgers(cluster.ledgers());
            List<ChaosFaults.Fault> done = faults.faults();
            Map<String, List<Instant>> deaths = new HashMap<>();
            done.stream().filter(f -> f.kind() == ChaosFaults.Kind.LEADER_KILL || f.kind() == ChaosFaults.Kind.FOLLOWER_KILL)
                    .forEach(f -> deaths.computeIfAbsent(f.target(), k -> new ArrayList<>()).add(f.at()));
            List<Path> adminLogs = new ArrayList<>();
            for (int i = 0; i < ChaosCluster.ADMINS; i++) {
                adminLogs.add(cluster.adminLog(i));
            }
            List<ChaosAnalysis.Term> terms = ChaosEvidence.terms(adminLogs, deaths, Instant.now());
            List<ChaosAnalysis.CronJob> cronJobs = load.cronJobs().stream().map(j -> new ChaosAnalysis.CronJob(j.id(),
                    j.misfire(), ExpectedFires.between(j.cron(), ZoneOffset.UTC, loadStart, windowEnd))).toList();
            ChaosVerdict verdict = ChaosAnalysis.analyse(new ChaosAnalysis.Input(ledgers.records(), runs, shards, cronJobs,
                    load.children(), terms, faults.frozenAdmins(), load.gangShards(),
                    load.acceptedRuns()));
            ChaosFailover.Times failover = ChaosFailover.measure(ledgers.records(), done);

            String base = profile + "-" + stamp;
            Path png = reportDir.resolve(base + ".png");
            ChaosChart.write(ledgers.records(), done, loadStart, "Tessera chaos " + profile + " (seed " + seed + ")", png);
            ChaosReport report = new ChaosReport(profile, seed, began, startup, Duration.between(began, Instant.now()),
                    loadStart, windowEnd, verdict, done, failover, load.triggersAccepted(), load.triggersGivenUp(),
                    ledgers.tornLines(), drainSeconds, drained, png.getFileName().toString());
            Path md = reportDir.resolve(base + ".md");
            Files.writeString(md, report.markdown(), StandardCharsets.UTF_8);
            say("report %s, timeline %s, logs and ledgers in %s", md, png, dir);
            return report;
        } finally {
            cluster.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook has run
            }
        }
    }

    /** Waits until the database has no run that has not ended, or the limit passes. */
    private static boolean drain(ChaosCluster cluster, Duration limit) throws InterruptedException {
        Instant giveUp = Instant.now().plus(limit);
        while (Instant.now().isBefore(giveUp)) {
            try (Connection c = cluster.connect("tessera")) {
                if (ChaosEvidence.openRuns(c) == 0) {
                    return true;
                }
            } catch (java.sql.SQLException e) {
                say("drain: the database did not answer (%s); asking again", e.getMessage());
            }
            Thread.sleep(2000);
        }
        return false;
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("a duration is like 90s, 30m or 1h, was " + text);
        };
    }

    private static void say(String format, Object... args) {
        System.out.printf("[chaos %s] " + format + "%n", prepend(Instant.now().truncatedTo(ChronoUnit.SECONDS), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
