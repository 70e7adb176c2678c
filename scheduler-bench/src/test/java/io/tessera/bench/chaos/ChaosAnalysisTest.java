package io.tessera.bench.chaos;

import io.tessera.bench.chaos.ChaosAnalysis.ChildLink;
import io.tessera.bench.chaos.ChaosAnalysis.CronJob;
import io.tessera.bench.chaos.ChaosAnalysis.DbRun;
import io.tessera.bench.chaos.ChaosAnalysis.Frozen;
import io.tessera.bench.chaos.ChaosAnalysis.Term;
import io.tessera.bench.chaos.ChaosRecord.ShardKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdict on hand-made ledgers and rows: each violation is caught, and a clean run passes. */
class ChaosAnalysisTest {

    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
    private static final long JOB = 7;

    private final List<ChaosRecord> records = new ArrayList<>();
    private final List<DbRun> runs = new ArrayList<>();
    private final Map<ShardKey, String> shards = new HashMap<>();
    private final List<CronJob> cron = new ArrayList<>();
    private final List<ChildLink> children = new ArrayList<>();
    private final List<Term> terms = new ArrayList<>();
    private final List<Frozen> frozen = new ArrayList<>();
    private final Map<Long, Integer> gangs = new HashMap<>();
    private final java.util.Set<Long> triggers = new java.util.HashSet<>();

    @Test
    void aCleanRunPasses() {
        cleanRun(1, 0, "worker-1", 100, 0);
        ChaosVerdict verdict = analyse();
        assertThat(verdict.passed()).as(verdict.summary()).isTrue();
        assertThat(verdict.observations()).containsEntry("handler successes", 1L);
    }

    @Test
    void aShardThatFinishedSuccessfullyTwiceIsCaught() {
        cleanRun(1, 0, "worker-1", 100, 0);
        ChaosRecord again = start(1, 0, 1, 200, "worker-2", 3_000);
        records.add(again);
        records.add(ChaosRecord.write(again, micros(3_400), true));
        records.add(ChaosRecord.finish(again, micros(3_500), "OK"));

        ChaosVerdict verdict = analyse();
        assertThat(verdict.violations()).containsEntry(ChaosVerdict.DOUBLE_SUCCESS, 1L);
        assertThat(verdict.observations()).containsEntry("starts that reused an attempt number of their shard", 1L);
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void aGangRestartedWholeRunsItsSucceededRanksAgainButTwoWholeSuccessesAreCaught() {
        gangs.put(JOB, 2);
        runs.add(new DbRun(1, JOB, "CRON", T0, "SUCCEEDED"));
        shards.put(new ShardKey(1, 0), "SUCCEEDED");
        shards.put(new ShardKey(1, 1), "SUCCEEDED");
        gangAttempt(1, 100, "OK", "FAILED", 0);
        gangAttempt(2, 200, "OK", "OK", 1_000);
        ChaosVerdict restarted = analyse();
        assertThat(restarted.passed()).as(restarted.summary()).isTrue();

        gangAttempt(3, 300, "OK", "OK", 2_000);
        assertThat(analyse().violations()).containsEntry(ChaosVerdict.DOUBLE_SUCCESS, 2L);
    }

    private void gangAttempt(int attempt, long token, String rank0, String rank1, long atMillis) {
        String[] outcomes = {rank0, rank1};
        for (int rank = 0; rank < 2; rank++) {
            ChaosRecord s = start(1, rank, attempt, token + rank, "worker-" + (rank + 1), atMillis);
            records.add(s);
            if (outcomes[rank].equals("OK")) {
                records.add(ChaosRecord.write(s, micros(atMillis + 100), true));
            }
            records.add(ChaosRecord.finish(s, micros(atMillis + 101), outcomes[rank]));
        }
    }

    @Test
    void aLedgerSuccessTheDatabaseDoesNotHaveIsALostResult() {
        cleanRun(1, 0, "worker-1", 100, 0);
        shards.put(new ShardKey(1, 0), "RUNNING");
        runs.set(0, new DbRun(1, JOB, "CRON", T0, "FAILED"));

        assertThat(analyse().violations()).containsEntry(ChaosVerdict.LOST_RESULTS, 1L);
    }

    @Test
    void aStaleTokenTheStoreAcceptedIsCaught() {
        // The old holder (token 100) writes at 2 s, after the new holder (token 200) started at 1.5 s.
        runs.add(new DbRun(1, JOB, "CRON", T0, "SUCCEEDED"));
        shards.put(new ShardKey(1, 0), "SUCCEEDED");
        ChaosRecord old = start(1, 0, 1, 100, "worker-1", 0);
        ChaosRecord fresh = start(1, 0, 2, 200, "worker-2", 1_500);
        records.addAll(List.of(old, fresh, ChaosRecord.write(old, micros(2_000), true),
                ChaosRecord.finish(old, micros(2_001), "OK"), ChaosRecord.write(fresh, micros(2_500), true),
                ChaosRecord.finish(fresh, micros(2_501), "OK")));

        ChaosVerdict verdict = analyse();
        assertThat(verdict.violations()).containsEntry(ChaosVerdict.STALE_WRITE_ACCEPTED, 1L)
                .containsEntry(ChaosVerdict.DOUBLE_SUCCESS, 1L);
    }

    @Test
    void aStaleTokenRefusedIsFineButARefusalWithoutANewerHolderIsCaught() {
        runs.add(new DbRun(1, JOB, "CRON", T0, "SUCCEEDED"));
        shards.put(new ShardKey(1, 0), "SUCCEEDED");
        ChaosRecord old = start(1, 0, 1, 100, "worker-1", 0);
        ChaosRecord fresh = start(1, 0, 2, 200, "worker-2", 1_500);
        records.addAll(List.of(old, fresh, ChaosRecord.write(old, micros(2_000), false),
                ChaosRecord.finish(old, micros(2_001), "FAILED"), ChaosRecord.write(fresh, micros(2_500), true),
                ChaosRecord.finish(fresh, micros(2_501), "OK")));
        ChaosVerdict refusedStale = analyse();
        assertThat(refusedStale.passed()).as(refusedStale.summary()).isTrue();
        assertThat(refusedStale.observations()).containsEntry("stale writes the fenced store refused", 1L);

        records.clear();
        ChaosRecord alone = start(2, 0, 1, 300, "worker-1", 0);
        runs.add(new DbRun(2, JOB, "CRON", T0.plusSeconds(1), "FAILED"));
        shards.put(new ShardKey(2, 0), "FAILED");
        records.addAll(List.of(alone, ChaosRecord.write(alone, micros(500), false)));
        assertThat(analyse().violations()).containsEntry(ChaosVerdict.REFUSED_NOT_STALE, 1L);
    }

    @Test
    void aSucceededShardNoHandlerRanIsAPhantomAndAnOpenRunHasNotEnded() {
        runs.add(new DbRun(1, JOB, "CRON", T0, "SUCCEEDED"));
        shards.put(new ShardKey(1, 0), "SUCCEEDED");
        runs.add(new DbRun(2, JOB, "API", T0, "RUNNING"));

        ChaosVerdict verdict = analyse();
        assertThat(verdict.violations()).containsEntry(ChaosVerdict.PHANTOM_SUCCESSES, 1L)
                .containsEntry(ChaosVerdict.RUNS_NOT_ENDED, 1L);
    }

    @Test
    void anAcceptedTriggerWithoutARunAndARunCancelledWhileRunningAreCaught() {
        cleanRun(1, 0, "worker-1", 100, 0);
        triggers.add(1L);
        triggers.add(2L);
        runs.set(0, new DbRun(1, JOB, "API", T0, "CANCELLED"));

        ChaosVerdict verdict = analyse();
        assertThat(verdict.violations()).containsEntry(ChaosVerdict.LOST_TRIGGERS, 1L)
                .containsEntry(ChaosVerdict.CANCELLED_WHILE_RUNNING, 1L);
    }

    @Test
    void catchUpMustStartEveryFireAndFireOnceOnlyTheNewestOfAGap() {
        List<Instant> fires = List.of(T0, T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3));
        // Job 7 ran fires 0 and 3; job 8 ran fires 0 and 3 as well.
        for (long job : new long[] {7, 8}) {
            for (int f : new int[] {0, 3}) {
                records.add(new ChaosRecord('S', job * 10 + f, 0, 1, 1, micros(f * 1000L), "worker-1", job,
                        ChaosRecord.micros(fires.get(f)), "-"));
            }
        }
        cron.add(new CronJob(7, "CATCH_UP", fires));
        cron.add(new CronJob(8, "FIRE_ONCE", fires));
        assertThat(lostFires()).isEqualTo(2); // CATCH_UP's fires 1 and 2

        cron.set(0, new CronJob(7, "FIRE_ONCE", fires.subList(0, 3)));
        cron.set(1, new CronJob(8, "FIRE_ONCE", fires));
        assertThat(lostFires()).isEqualTo(2); // job 7's trailing gap: no later fire ran in its place
    }

    @Test
    void twoParentsSucceededButOneChildRunIsALostChildFire() {
        runs.add(new DbRun(1, 1, "CRON", T0, "SUCCEEDED"));
        runs.add(new DbRun(2, 2, "CRON", T0, "SUCCEEDED"));
        runs.add(new DbRun(3, 3, "CHILD", T0, "SUCCEEDED"));
        children.add(new ChildLink(1, 3));
        children.add(new ChildLink(2, 3));
        shards.clear();

        ChaosVerdict verdict = analyse();
        assertThat(verdict.violations()).containsEntry(ChaosVerdict.LOST_CHILD_FIRES, 1L);
    }

    @Test
    void twoRunningLeadersAtOnceAreCaughtUnlessTheOldOneWasFrozen() {
        terms.add(new Term("admin-1", T0, T0.plusSeconds(10)));
        terms.add(new Term("admin-2", T0.plusSeconds(8), T0.plusSeconds(20)));
        frozen.add(new Frozen("admin-1", T0.plusSeconds(7), T0.plusSeconds(10)));
        assertThat(analyse().violations()).containsEntry(ChaosVerdict.LEADER_OVERLAP, 0L);

        frozen.set(0, new Frozen("admin-1", T0.plusSeconds(7), T0.plusSeconds(9)));
        assertThat(analyse().violations()).containsEntry(ChaosVerdict.LEADER_OVERLAP, 1L);
    }

    @Test
    void aLedgerLineRoundTripsAndATornLineIsRejected() {
        ChaosRecord r = start(5, 2, 3, 99, "worker-4", 10);
        assertThat(ChaosRecord.parse(r.format())).isEqualTo(r);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChaosRecord.parse("S 5 2 3 99 1234"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private long lostFires() {
        return analyse().violations().get(ChaosVerdict.LOST_FIRES);
    }

    private void cleanRun(long runId, int shard, String executor, long token, long atMillis) {
        runs.add(new DbRun(runId, JOB, "CRON", T0, "SUCCEEDED"));
        shards.put(new ShardKey(runId, shard), "SUCCEEDED");
        ChaosRecord s = start(runId, shard, 1, token, executor, atMillis);
        records.add(s);
        records.add(ChaosRecord.write(s, micros(atMillis + 400), true));
        records.add(ChaosRecord.finish(s, micros(atMillis + 401), "OK"));
    }

    private static ChaosRecord start(long runId, int shard, int attempt, long token, String executor, long atMillis) {
        return ChaosRecord.start(runId, shard, attempt, token, micros(atMillis), executor, JOB, ChaosRecord.micros(T0));
    }

    private static long micros(long millisAfterT0) {
        return ChaosRecord.micros(T0.plusMillis(millisAfterT0));
    }

    private ChaosVerdict analyse() {
        return ChaosAnalysis.analyse(new ChaosAnalysis.Input(records, runs, shards, cron, children, terms, frozen, gangs, triggers));
    }
}
