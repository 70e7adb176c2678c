package io.tessera.bench.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Failover times measured from the ledgers: how long after a fault the work went on.
 * <ul>
 *   <li>leader kill -9 (and the leader's session expiry) until scheduling resumed: until the first
 *       handler start of a fire scheduled more than 1 s after the fault (the old leader can have
 *       dispatched nothing that late)</li>
 *   <li>agent kill -9 until its shards ran again: for each shard that had started on the killed agent
 *       and not finished when it died, until the shard's next start, on another executor or on the
 *       restarted agent (counted apart: then it did not fail over, it waited for the restart)</li>
 * </ul>
 */
final class ChaosFailover {

    /** Milliseconds, one value per fault (leader) or per orphaned shard (agent). */
    record Times(List<Long> leaderMillis, List<Long> agentMillis, long agentShardsNeverRerun, long agentRerunsOnSameAgent) {
    }

    private ChaosFailover() {
    }

    static Times measure(Collection<ChaosRecord> records, List<ChaosFaults.Fault> faults) {
        List<ChaosRecord> starts = records.stream().filter(r -> r.kind() == 'S')
                .sorted((a, b) -> Long.compare(a.micros(), b.micros())).toList();
        List<Long> leader = new ArrayList<>();
        List<Long> agent = new ArrayList<>();
        long never = 0, same = 0;
        for (ChaosFaults.Fault f : faults) {
            long at = ChaosRecord.micros(f.at());
            if (f.kind() == ChaosFaults.Kind.LEADER_KILL || f.kind() == ChaosFaults.Kind.SESSION_EXPIRY) {
                starts.stream().filter(s -> s.micros() > at && s.scheduledAtMicros() > at + 1_000_000L).findFirst()
                        .ifPresent(s -> leader.add((s.micros() - at) / 1000));
            } else if (f.kind() == ChaosFaults.Kind.AGENT_KILL) {
                // A shard is the agent's when its newest start before the kill is the agent's, unfinished.
                Map<ChaosRecord.ShardKey, ChaosRecord> inFlight = new HashMap<>();
                for (ChaosRecord r : records.stream().filter(r -> r.micros() < at)
                        .sorted((a, b) -> Long.compare(a.micros(), b.micros())).toList()) {
                    if (r.kind() == 'S') {
                        if (r.executorId().equals(f.target())) {
                            inFlight.put(r.key(), r);
                        } else {
                            inFlight.remove(r.key());
                        }
                    } else if (r.kind() == 'F' && r.executorId().equals(f.target())) {
                        inFlight.remove(r.key());
                    }
                }
                for (ChaosRecord orphan : inFlight.values()) {
                    if (orphan.micros() < at - Duration.ofMinutes(1).toNanos() / 1000) {
                        continue; // a line without its finish from an earlier life, not in flight now
                    }
                    ChaosRecord rerun = starts.stream().filter(s -> s.key().equals(orphan.key()) && s.micros() > at)
                            .findFirst().orElse(null);
                    if (rerun == null) {
                        never++;
                    } else {
                        agent.add((rerun.micros() - at) / 1000);
                        same += rerun.executorId().equals(f.target()) ? 1 : 0;
                    }
                }
            }
        }
        return new Times(leader, agent, never, same);
    }

    static long p50(List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    static String describe(List<Long> values) {
        return values.isEmpty() ? "none measured"
                : String.format("p50 %.1f s, max %.1f s over %d", p50(values) / 1000.0, max(values) / 1000.0, values.size());
    }

}
