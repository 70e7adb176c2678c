package io.tessera.bench.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The chaos run's summary, as console text and as the markdown report of {@code docs/chaos/}. */
record ChaosReport(String profile, long seed, Instant began, Duration startup, Duration total, Instant loadStart,
                   Instant windowEnd, ChaosVerdict verdict, List<ChaosFaults.Fault> faults, ChaosFailover.Times failover,
                   long triggersAccepted, long triggersGivenUp, int tornLines, long drainSeconds, boolean drained,
                   String chartFile) {

    Map<ChaosFaults.Kind, Integer> faultCounts() {
        Map<ChaosFaults.Kind, Integer> counts = new EnumMap<>(ChaosFaults.Kind.class);
        for (ChaosFaults.Kind k : ChaosFaults.Kind.values()) {
            counts.put(k, 0);
        }
        faults.stream().filter(f -> !f.note().startsWith("skipped")).forEach(f -> counts.merge(f.kind(), 1, Integer::sum));
        return counts;
    }

    String console() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("chaos %s, seed %d: %.0f s in all (%.0f s start-up), judged fires %s .. %s%n", profile, seed,
                total.toMillis() / 1000.0, startup.toMillis() / 1000.0, loadStart, windowEnd));
        s.append(verdict.summary());
        s.append("faults:");
        faultCounts().forEach((k, n) -> s.append(' ').append(k.name().toLowerCase()).append('=').append(n));
        s.append('\n');
        s.append("failover, leader kill -9 / session expiry until scheduling resumed: ")
                .append(ChaosFailover.describe(failover.leaderMillis())).append('\n');
        s.append("failover, agent kill -9 until its in-flight shards started again: ")
                .append(ChaosFailover.describe(failover.agentMillis()))
                .append("; of them on the restarted agent itself: ").append(failover.agentRerunsOnSameAgent())
                .append(failover.agentShardsNeverRerun() > 0 ? "; never started again: " + failover.agentShardsNeverRerun() : "")
                .append('\n');
        s.append("session timeout ").append(ChaosCluster.SESSION_TIMEOUT.toSeconds()).append(" s; API triggers accepted ")
                .append(triggersAccepted).append(", given up after 30 s of refusals ").append(triggersGivenUp)
                .append("; drain ").append(drained ? "done in " + drainSeconds + " s" : "NOT done after " + drainSeconds + " s")
                .append("; torn ledger lines ").append(tornLines).append('\n');
        verdict.examples().forEach(e -> s.append("  e.g. ").append(e).append('\n'));
        return s.toString();
    }

    String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("# Chaos run: ").append(profile).append(", ").append(began).append("\n\n");
        s.append("Verdict: **").append(verdict.passed() ? "PASSED" : "FAILED").append("**. Seed ").append(seed)
                .append(", ").append(total.toMinutes()).append(" min in all (start-up ").append(startup.toSeconds())
                .append(" s). Fires judged: ").append(loadStart).append(" .. ").append(windowEnd)
                .append(". ZooKeeper session timeout of admins and agents: ").append(ChaosCluster.SESSION_TIMEOUT.toSeconds())
                .append(" s.\n\n");
        s.append("Shape: 3 ZooKeeper servers, 3 admins (the packaged jar), MariaDB started by the suite, 4 agent JVMs "
                + "with the ledger handler; all separate processes. The verdict is computed from the workers' ledgers, "
                + "the cron's own fire times and the database's rows (see docs/chaos/README.md).\n\n");
        s.append("## Ledger verdict\n\n| | count | check |\n|---|---:|---|\n");
        verdict.violations().forEach((k, v) -> s.append("| ").append(v == 0 ? "ok" : "**FAIL**").append(" | ").append(v)
                .append(" | ").append(k).append(" |\n"));
        verdict.observations().forEach((k, v) -> s.append("| info | ").append(v).append(" | ").append(k).append(" |\n"));
        if (!verdict.examples().isEmpty()) {
            s.append("\nExamples:\n\n");
            verdict.examples().forEach(e -> s.append("- ").append(e).append('\n'));
        }
        s.append("\n## Faults injected\n\n| fault | count |\n|---|---:|\n");
        faultCounts().forEach((k, n) -> s.append("| ").append(k.what).append(" | ").append(n).append(" |\n"));
        s.append("| network delay on one agent (tc) | not injected: see docs/chaos/README.md |\n");
        s.append("\n## Failover times\n\n| | p50 | max | n | × session timeout (p50 / max) |\n|---|---:|---:|---:|---|\n");
        row(s, "leader kill -9 or session expiry until scheduling resumed", failover.leaderMillis());
        row(s, "agent kill -9 until its in-flight shards started again", failover.agentMillis());
        s.append("\nOf the agent's shards, ").append(failover.agentRerunsOnSameAgent())
                .append(" started again on the restarted agent itself (restarted 8 s after the kill), not elsewhere");
        s.append(failover.agentShardsNeverRerun() > 0 ? "; " + failover.agentShardsNeverRerun()
                + " never started again.\n" : ".\n");
        s.append("\n## Timeline\n\n").append(chartFile == null ? "(no chart)" : "![timeline](" + chartFile + ")").append("\n\n");
        s.append("| at (s) | fault | target | recovered after (s) | note |\n|---:|---|---|---:|---|\n");
        for (ChaosFaults.Fault f : faults) {
            s.append("| ").append(Duration.between(loadStart, f.at()).toSeconds()).append(" | ").append(f.kind().name())
                    .append(" | ").append(f.target()).append(" | ")
                    .append(String.format("%.1f", Duration.between(f.at(), f.recovered()).toMillis() / 1000.0))
                    .append(" | ").append(f.note()).append(" |\n");
        }
        s.append("\nLoad: API triggers accepted ").append(triggersAccepted).append(", given up after 30 s of refusals ")
                .append(triggersGivenUp).append("; drain ").append(drained ? "done in " : "NOT done after ")
                .append(drainSeconds).append(" s; torn ledger lines (kill -9 mid-write) ").append(tornLines).append(".\n");
        return s.toString();
    }

    private static void row(StringBuilder s, String what, List<Long> millis) {
        double timeout = ChaosCluster.SESSION_TIMEOUT.toMillis();
        if (millis.isEmpty()) {
            s.append("| ").append(what).append(" | - | - | 0 | - |\n");
            return;
        }
        long p50 = ChaosFailover.p50(millis), max = ChaosFailover.max(millis);
        s.append(String.format("| %s | %.1f s | %.1f s | %d | %.2f / %.2f |%n", what, p50 / 1000.0, max / 1000.0,
                millis.size(), p50 / timeout, max / timeout));
    }
}
