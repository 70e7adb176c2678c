package io.tessera.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The verdict in words (stdout) and as Markdown (docs/benchmarks/results.md). */
final class ResultsTable {

    /** Where and on what a set of trials ran. */
    record Context(String date, String commit, String machine, String command, String profile, String window) {
    }

    static final String LEGEND = """
            # Benchmark results

            Appended by `scheduler-bench` (README, "Measuring"): one section per invocation, one row per offered
            load, each on a fresh cluster (admin jar, ZooKeeper, worker JVMs as separate processes, a new MariaDB
            database). Every figure comes from the workers' ledgers, the cron, `/proc`, ZooKeeper's `mntr` and
            MariaDB's `SHOW GLOBAL STATUS`, never from Tessera's own counters.

            | column | meaning |
            |---|---|
            | offered/s | shard runs per second the cron asks for (jobs × shards × fires per second) |
            | started/s | handler starts whose start time lies in the window, per second (achieved rate) |
            | missed | (job, fire time, shard) of the window with no start by the time the ledgers were read |
            | dup | starts beyond the first of one (job, fire time, shard) |
            | late p50/p99/max | first start − scheduled fire time, over every expected fire of the window (keyed by fire time, however late it started); a fire that had not started when the ledgers were read counts as "never", and the figures of the fires that did start follow in brackets |
            | results in DB | from the window's last fire time until every expected shard run of the window is SUCCEEDED in the database (each fire's results counted every 100 ms, fire after fire from the window's start; the start of the count that found the last fire's complete), or how many were there at the timeout |
            | CPU s | CPU seconds (user + system) over the window: admin (with its embedded ZooKeeper, "+zk"), all workers, a standalone ZooKeeper, the MariaDB server |
            | ZK req/shard | ZooKeeper `zk_packets_received` over the window ÷ starts in the window (pings included) |
            | commits/shard | MariaDB `Handler_commit` / `Com_commit` over the window ÷ starts in the window — the whole server's counters, so other users of the server add to them |
            | health | `/actuator/health` statuses sampled during the window |
            | admin log | ERROR / WARN lines in the admin's log from its start until the benchmark began to stop the processes |

            """;

    private ResultsTable() {
    }

    static String header() {
        return "| profile | jobs×shards | agents | ZK | offered/s | started/s | missed | dup | late p50 / p99 / max (ms) "
                + "| results in DB | CPU s admin / workers / ZK / MariaDB | ZK req/shard | commits/shard (Handler / Com) "
                + "| health | admin log E / W |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    }

    static String row(String profile, TrialResult r) {
        LedgerVerdict v = r.verdict();
        String late = triple(v.latenessAll());
        if (v.missed() > 0 && v.lateness().count() > 0) {
            late += " (started: " + triple(v.lateness()) + ")";
        }
        return "| " + String.join(" | ", List.of(
                profile,
                r.load().label(),
                Integer.toString(r.agents()),
                r.standaloneZooKeeper() ? "standalone" : "embedded",
                fmt(v.offeredPerSecond()),
                fmt(v.achievedPerSecond()),
                v.missed() + (v.expected() > 0 ? " of " + v.expected() : ""),
                v.duplicates() + (v.unexpected() > 0 ? " (+" + v.unexpected() + " unexpected)" : ""),
                late,
                results(r),
                cpu(r),
                fmt(r.perShard(r.zk("zk_packets_received"))),
                fmt(r.perShard(r.db("Handler_commit"))) + " / " + fmt(r.perShard(r.db("Com_commit"))),
                health(r),
                r.adminLog().errors() + " / " + r.adminLog().warnings())) + " |\n";
    }

    static String failedRow(String profile, BenchOptions.Load load, int agents, boolean standalone, String why) {
        return "| " + profile + " | " + load.label() + " | " + agents + " | " + (standalone ? "standalone" : "embedded")
                + " | " + fmt(load.jobs() * (double) load.shards()) + " | trial failed: "
                + why.replace('|', '/').replace('\n', ' ') + " |||||||||\n";
    }

    /** The verdict, plainly, for stdout. */
    static String verdict(String profile, TrialResult r) {
        LedgerVerdict v = r.verdict();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "== %s %s on %d agent(s), %s ZooKeeper, window %d s from %s ==%n", profile,
                r.load().label(), r.agents(), r.standaloneZooKeeper() ? "standalone" : "embedded",
                r.window().toSeconds(), r.windowStart()));
        b.append(String.format(Locale.ROOT, "expected %d shard runs (%s/s); started %d; MISSED %d; DUPLICATES %d (same run: %d);"
                        + " unexpected %d; started early %d%n", v.expected(), fmt(v.offeredPerSecond()), v.started(), v.missed(),
                v.duplicates(), v.duplicatesSameRun(), v.unexpected(), v.early()));
        b.append(String.format(Locale.ROOT, "starts during the window: %d (%s/s)%n", v.startsInWindow(), fmt(v.achievedPerSecond())));
        b.append("lateness (first start - fire time) of every expected fire, a missed one as 'never': ")
                .append(v.latenessAll().summary()).append('\n');
        b.append("lateness of the fires that started: ").append(v.lateness().summary()).append('\n');
        b.append("results in DB: ").append(results(r)).append('\n');
        b.append("CPU s over the window: ");
        r.cpuSeconds().forEach((name, s) -> b.append(name).append(' ').append(fmt(s)).append("  "));
        b.append('\n');
        if (r.zkDelta().isEmpty()) {
            b.append("ZooKeeper: no mntr figures\n");
        } else {
            b.append(String.format(Locale.ROOT, "ZooKeeper: %s requests/shard (received %d, sent %d), znodes %s -> %s%n",
                    fmt(r.perShard(r.zk("zk_packets_received"))), r.zk("zk_packets_received"), r.zk("zk_packets_sent"),
                    r.znodesBefore(), r.znodesAfter()));
        }
        b.append("MariaDB (whole server) per shard: ");
        for (String key : Database.STATUS) {
            if (r.dbDelta().containsKey(key)) {
                b.append(key).append(' ').append(fmt(r.perShard(r.db(key)))).append("  ");
            }
        }
        b.append('\n');
        b.append("health: ").append(health(r)).append('\n');
        r.healthDetails().forEach(d -> b.append("  ").append(d).append('\n'));
        if (r.recovery() != null) {
            b.append(recovery(r)).append('\n');
        }
        if (r.heapAfterGcKb() != null) {
            b.append(String.format(Locale.ROOT, "admin heap after full GC: %s MiB before, %s MiB after the window%n",
                    mib(r.heapAfterGcKb()[0]), mib(r.heapAfterGcKb()[1])));
        }
        logs(b, "admin log", r.adminLog());
        logs(b, "worker logs", r.workerLogs());
        if (r.badLedgerLines() > 0) {
            b.append("unreadable ledger lines: ").append(r.badLedgerLines()).append('\n');
        }
        b.append(String.format(Locale.ROOT, "jobs created in %.1f s%n", r.jobCreationSeconds()));
        r.notes().forEach(n -> b.append("note: ").append(n).append('\n'));
        if (!r.samples().isEmpty() || !v.series().isEmpty()) {
            b.append(series(r));
        }
        return b.toString();
    }

    /** Soak series: ledger buckets by fire time (lateness) and start time (starts), plus the sampled readings. */
    static String series(TrialResult r) {
        StringBuilder b = new StringBuilder();
        b.append("\n| t (s) | started/s | missed | late p50 / p99 (ms) | admin heap used MiB | znodes | ZK data KiB |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        List<LedgerVerdict.Bucket> buckets = r.verdict().series();
        List<TrialResult.Sample> samples = new ArrayList<>(r.samples());
        for (int i = 0; i < buckets.size(); i++) {
            LedgerVerdict.Bucket k = buckets.get(i);
            double t = i * k.seconds();
            TrialResult.Sample s = nearest(samples, t);
            b.append(String.format(Locale.ROOT, "| %.0f | %s | %d | %s | %s | %s | %s |%n", t, fmt(k.startsPerSecond()),
                    k.expected() - k.started(),
                    k.lateness().count() == 0 ? "–" : Lateness.ms(k.lateness().p50()) + " / " + Lateness.ms(k.lateness().p99()),
                    s == null || s.heapUsedKb() == null ? "–" : mib(s.heapUsedKb()),
                    s == null || s.znodes() == null ? "–" : s.znodes().toString(),
                    s == null || s.zkDataBytes() == null ? "–" : Long.toString(s.zkDataBytes() / 1024)));
        }
        return b.toString();
    }

    static void append(Path file, Context context, String body) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.writeString(file, LEGEND, StandardCharsets.UTF_8);
        }
        String section = "## " + context.date() + " — " + context.profile() + ", commit " + context.commit() + "\n\n"
                + context.machine() + "; " + context.window() + ".\n\n"
                + "```\n" + context.command() + "\n```\n\n" + body + "\n";
        Files.writeString(file, section, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static String triple(Lateness l) {
        return l.count() == 0 ? "–" : Lateness.ms(l.p50()) + " / " + Lateness.ms(l.p99()) + " / " + Lateness.ms(l.max());
    }

    private static TrialResult.Sample nearest(List<TrialResult.Sample> samples, double t) {
        TrialResult.Sample best = null;
        for (TrialResult.Sample s : samples) {
            if (best == null || Math.abs(s.atSeconds() - t) < Math.abs(best.atSeconds() - t)) {
                best = s;
            }
        }
        return best != null && Math.abs(best.atSeconds() - t) <= 5 ? best : null;
    }

    private static void logs(StringBuilder b, String what, TrialResult.LogSummary log) {
        b.append(what).append(" (until the stop): ").append(log.errors()).append(" ERROR, ").append(log.warnings())
                .append(" WARN lines\n");
        log.top().forEach(t -> b.append("  ").append(t).append('\n'));
    }

    /** One line on what followed the drop in load. */
    static String recovery(TrialResult r) {
        TrialResult.Recovery c = r.recovery();
        String statuses = c.statuses().entrySet().stream().map(e -> e.getKey() + "×" + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
        return String.format(Locale.ROOT, "recovery: after the window all jobs but %d (%s shard runs/s) were paused"
                        + " (%.1f s over the API); health %s (read: %s)%s", c.keptJobs(),
                fmt(c.keptJobs() * (double) r.load().shards()), c.pausing().toMillis() / 1000.0,
                c.untilUp() == null ? "NOT UP again within " + c.bound().toSeconds() + " s"
                        : String.format(Locale.ROOT, "UP again %.1f s after the last pause, and stayed UP", c.untilUp().toMillis() / 1000.0),
                statuses, c.lastDetail() == null ? "" : "; last reading not UP: " + c.lastDetail());
    }

    private static String results(TrialResult r) {
        if (r.resultsDelay() != null) {
            return String.format(Locale.ROOT, "%.1f s", r.resultsDelay().toMillis() / 1000.0);
        }
        return String.format(Locale.ROOT, "not all after %d s (%d of %d)", r.resultsTimeout().toSeconds(),
                Math.max(0, r.resultsInDb()), r.resultsExpected());
    }

    private static String cpu(TrialResult r) {
        double admin = 0, workers = 0;
        Double zk = null, db = null;
        for (Map.Entry<String, Double> e : r.cpuSeconds().entrySet()) {
            String name = e.getKey();
            if (name.startsWith("admin")) {
                admin += e.getValue();
            } else if (name.startsWith("worker-")) {
                workers += e.getValue();
            } else if (name.equals("zookeeper")) {
                zk = e.getValue();
            } else if (name.equals("mariadb")) {
                db = e.getValue();
            }
        }
        return fmt(admin) + (r.standaloneZooKeeper() ? "" : "+zk") + " / " + fmt(workers) + " / "
                + (zk == null ? "–" : fmt(zk)) + " / " + (db == null ? "–" : fmt(db));
    }

    private static String health(TrialResult r) {
        if (r.health().isEmpty()) {
            return "–";
        }
        StringBuilder b = new StringBuilder();
        r.health().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append("×").append(e.getValue()));
        return b.toString();
    }

    private static String mib(long kb) {
        return kb < 0 ? "?" : Long.toString(Math.round(kb / 1024.0));
    }

    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        double a = Math.abs(value);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", value);
    }
}
