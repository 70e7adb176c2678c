package io.tessera.bench.chaos;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Failover times from hand-made ledgers. */
class ChaosFailoverTest {

    private static final Instant KILL = Instant.parse("2026-12-03T12:00:10Z");

    @Test
    void anAgentsInFlightShardsAreTimedUntilTheyStartAgainAndFinishedOnesAreNot() {
        ChaosRecord finished = start(1, 0, "worker-1", -2_000, -2_000);
        ChaosRecord inFlight = start(2, 0, "worker-1", -300, -1_000);
        ChaosRecord backHome = start(3, 0, "worker-1", -200, -1_000);
        List<ChaosRecord> records = List.of(finished, ChaosRecord.finish(finished, micros(-1_500), "OK"),
                inFlight, start(2, 0, "worker-2", 6_000, -1_000),
                backHome, start(3, 0, "worker-1", 9_000, -1_000),
                start(4, 0, "worker-1", -100, -1_000));
        ChaosFaults.Fault kill = new ChaosFaults.Fault(ChaosFaults.Kind.AGENT_KILL, "worker-1", KILL, KILL, "");

        ChaosFailover.Times times = ChaosFailover.measure(records, List.of(kill));

        assertThat(times.agentMillis()).containsExactlyInAnyOrder(6_000L, 9_000L);
        assertThat(times.agentRerunsOnSameAgent()).isEqualTo(1);
        assertThat(times.agentShardsNeverRerun()).isEqualTo(1);
    }

    @Test
    void aShardAlreadyStartedElsewhereBeforeTheKillIsNotTheKilledAgents() {
        ChaosRecord abandoned = start(5, 1, "worker-1", -10_000, -12_000);
        List<ChaosRecord> records = List.of(abandoned, start(5, 1, "worker-2", -4_000, -12_000));
        ChaosFaults.Fault kill = new ChaosFaults.Fault(ChaosFaults.Kind.AGENT_KILL, "worker-1", KILL, KILL, "");

        ChaosFailover.Times times = ChaosFailover.measure(records, List.of(kill));

        assertThat(times.agentMillis()).isEmpty();
        assertThat(times.agentShardsNeverRerun()).isZero();
    }

    @Test
    void aLeaderKillIsTimedUntilAFireScheduledAfterItStarts() {
        List<ChaosRecord> records = List.of(
                start(1, 0, "worker-1", 500, 800),     // dispatched by the old leader before it died
                start(2, 0, "worker-2", 7_000, 6_000)); // scheduled after the kill: the new leader's
        ChaosFaults.Fault kill = new ChaosFaults.Fault(ChaosFaults.Kind.LEADER_KILL, "admin-1", KILL, KILL, "");

        assertThat(ChaosFailover.measure(records, List.of(kill)).leaderMillis()).containsExactly(7_000L);
    }

    private static ChaosRecord start(long runId, int shard, String executor, long atMillis, long scheduledMillis) {
        return ChaosRecord.start(runId, shard, 1, runId * 10, micros(atMillis), executor, 1, micros(scheduledMillis));
    }

    private static long micros(long millisAfterKill) {
        return ChaosRecord.micros(KILL.plusMillis(millisAfterKill));
    }
}
