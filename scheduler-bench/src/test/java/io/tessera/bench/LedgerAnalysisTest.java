package io.tessera.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerAnalysisTest {

    private static final Instant FROM = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant TO = FROM.plusSeconds(10);
    private static final List<Instant> EVERY_SECOND = ExpectedFires.between("* * * * * ?", ZoneOffset.UTC, FROM, TO);

    /** A start of (job, fire, shard) {@code lateMs} after the fire time; run ids are unique per job and fire. */
    private static LedgerEntry start(long job, Instant fire, int shard, long lateMs) {
        long runId = job * 1_000_000 + fire.getEpochSecond() % 1_000_000;
        return new LedgerEntry(runId, shard, 1, 42, LedgerEntry.micros(fire) + lateMs * 1000, "exec-1", job,
                LedgerEntry.micros(fire));
    }

    private static List<LedgerEntry> perfect(Set<Long> jobs, int shards, long lateMs) {
        List<LedgerEntry> entries = new ArrayList<>();
        for (long job : jobs) {
            for (Instant fire : EVERY_SECOND) {
                for (int s = 0; s < shards; s++) {
                    entries.add(start(job, fire, s, lateMs));
                }
            }
        }
        return entries;
    }

    @Test
    void aPerfectLedgerMissesNothingAndDuplicatesNothing() {
        Set<Long> jobs = Set.of(1L, 2L, 3L);
        LedgerVerdict v = LedgerAnalysis.analyse(perfect(jobs, 4, 2), jobs, 4, EVERY_SECOND, FROM, TO, null);

        assertThat(v.expected()).isEqualTo(3 * 10 * 4);
        assertThat(v.started()).isEqualTo(120);
        assertThat(v.missed()).isZero();
        assertThat(v.duplicates()).isZero();
        assertThat(v.unexpected()).isZero();
        assertThat(v.startsInWindow()).isEqualTo(120);
        assertThat(v.offeredPerSecond()).isEqualTo(12.0);
        assertThat(v.achievedPerSecond()).isEqualTo(12.0);
        assertThat(v.lateness().p50()).isEqualTo(2000);
        assertThat(v.lateness().max()).isEqualTo(2000);
    }

    @Test
    void missedFiresAreThoseOfTheCronWithNoStartAtAll() {
        Set<Long> jobs = Set.of(7L);
        List<LedgerEntry> entries = perfect(jobs, 2, 1);
        entries.removeIf(e -> e.scheduledAtMicros() == LedgerEntry.micros(FROM.plusSeconds(3)) && e.shard() == 1);
        entries.removeIf(e -> e.scheduledAtMicros() == LedgerEntry.micros(FROM.plusSeconds(9)));

        LedgerVerdict v = LedgerAnalysis.analyse(entries, jobs, 2, EVERY_SECOND, FROM, TO, null);

        assertThat(v.expected()).isEqualTo(20);
        assertThat(v.missed()).isEqualTo(3);
        assertThat(v.started()).isEqualTo(17);
        assertThat(v.lateness().max()).isEqualTo(1000);
        assertThat(v.latenessAll().count()).isEqualTo(20);
        assertThat(v.latenessAll().p50()).isEqualTo(1000);
        assertThat(v.latenessAll().p99()).as("3 of 20 missed: the p99 never came").isEqualTo(Lateness.NEVER);
        assertThat(Lateness.ms(v.latenessAll().max())).isEqualTo("never");
    }

    @Test
    void aSecondStartOfOneFireAndShardIsADuplicateWhicheverRunItBelongsTo() {
        Set<Long> jobs = Set.of(1L);
        List<LedgerEntry> entries = perfect(jobs, 1, 1);
        LedgerEntry first = entries.get(4);
        // the same run and shard started again (a double trigger)...
        entries.add(new LedgerEntry(first.runId(), 0, 1, 43, first.startMicros() + 500, "exec-2", 1, first.scheduledAtMicros()));
        // ...and the same fire recorded as a second run (a double fire)
        entries.add(new LedgerEntry(first.runId() + 77, 0, 1, 44, first.startMicros() + 900, "exec-1", 1, first.scheduledAtMicros()));

        LedgerVerdict v = LedgerAnalysis.analyse(entries, jobs, 1, EVERY_SECOND, FROM, TO, null);

        assertThat(v.duplicates()).isEqualTo(2);
        assertThat(v.duplicatesSameRun()).isEqualTo(1);
        assertThat(v.missed()).isZero();
        assertThat(v.lateness().count()).as("lateness counts each fire once, by its first start").isEqualTo(10);
    }

    @Test
    void latenessIsKeyedByTheFireTimeSoAFireOfTheWindowThatStartsAfterItStillCounts() {
        Set<Long> jobs = Set.of(1L);
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < EVERY_SECOND.size(); i++) {
            // each fire 4 s later than the one before: the last one starts 35 s after the window's end
            entries.add(start(1, EVERY_SECOND.get(i), 0, i * 4_000L));
        }
        // a fire from before the window that starts inside it: a start in the window, not a fire of it
        entries.add(start(1, FROM.minusSeconds(5), 0, 6_000));

        LedgerVerdict v = LedgerAnalysis.analyse(entries, jobs, 1, EVERY_SECOND, FROM, TO, null);

        assertThat(v.started()).isEqualTo(10);
        assertThat(v.missed()).isZero();
        assertThat(v.lateness().max()).isEqualTo(36_000_000L);
        assertThat(v.lateness().p50()).isEqualTo(16_000_000L);
        // starts whose start time is in the window: fires 0 and 1 (at +0 s and +5 s) and the one from before
        assertThat(v.startsInWindow()).isEqualTo(3);
        assertThat(v.achievedPerSecond()).isEqualTo(0.3);
    }

    @Test
    void percentilesAreNearestRank() {
        Set<Long> jobs = new java.util.HashSet<>();
        List<LedgerEntry> entries = new ArrayList<>();
        for (long job = 1; job <= 10; job++) {
            jobs.add(job);
            for (Instant fire : EVERY_SECOND) {
                // lateness 1..100 ms, one value per (job, fire)
                long late = (job - 1) * 10 + (fire.getEpochSecond() - FROM.getEpochSecond()) + 1;
                entries.add(start(job, fire, 0, late));
            }
        }
        LedgerVerdict v = LedgerAnalysis.analyse(entries, jobs, 1, EVERY_SECOND, FROM, TO, null);

        assertThat(v.lateness().count()).isEqualTo(100);
        assertThat(v.lateness().p50()).isEqualTo(50_000);
        assertThat(v.lateness().p99()).isEqualTo(99_000);
        assertThat(v.lateness().p999()).isEqualTo(100_000);
        assertThat(v.lateness().max()).isEqualTo(100_000);
        assertThat(v.lateness().min()).isEqualTo(1_000);
    }

    @Test
    void startsOffTheCronOrBeyondTheShardsAreUnexpectedAndOtherJobsAreIgnored() {
        Set<Long> jobs = Set.of(1L);
        List<LedgerEntry> entries = perfect(jobs, 1, 1);
        Instant offCron = FROM.plusMillis(2500);
        entries.add(new LedgerEntry(900, 0, 1, 1, LedgerEntry.micros(offCron), "e", 1, LedgerEntry.micros(offCron)));
        entries.add(start(1, FROM.plusSeconds(2), 1, 1));
        entries.add(start(99, FROM.plusSeconds(2), 0, 1));

        LedgerVerdict v = LedgerAnalysis.analyse(entries, jobs, 1, EVERY_SECOND, FROM, TO, null);

        assertThat(v.unexpected()).isEqualTo(2);
        assertThat(v.duplicates()).isZero();
        assertThat(v.started()).isEqualTo(10);
        assertThat(v.startsInWindow()).as("job 99 is not ours").isEqualTo(12);
    }

    @Test
    void earlyStartsShowAsNegativeLateness() {
        Set<Long> jobs = Set.of(1L);
        List<LedgerEntry> entries = perfect(jobs, 1, 3);
        entries.set(0, start(1, EVERY_SECOND.get(0), 0, -7));

        LedgerVerdict v = LedgerAnalysis.analyse(entries, jobs, 1, EVERY_SECOND, FROM, TO, null);

        assertThat(v.early()).isEqualTo(1);
        assertThat(v.lateness().min()).isEqualTo(-7_000);
    }

    @Test
    void anEmptyLedgerMissesEverything() {
        LedgerVerdict v = LedgerAnalysis.analyse(List.of(), Set.of(1L, 2L), 3, EVERY_SECOND, FROM, TO, Duration.ofSeconds(5));

        assertThat(v.expected()).isEqualTo(60);
        assertThat(v.missed()).isEqualTo(60);
        assertThat(v.lateness().count()).isZero();
        assertThat(v.series()).hasSize(2).allSatisfy(b -> assertThat(b.expected()).isEqualTo(30));
    }

    @Test
    void theSeriesBucketsLatenessByFireTimeAndStartsByStartTime() {
        Set<Long> jobs = Set.of(1L);
        List<LedgerEntry> entries = new ArrayList<>();
        for (Instant fire : EVERY_SECOND) {
            boolean firstHalf = fire.isBefore(FROM.plusSeconds(5));
            // the first half's fires start 6 s late, in the second half's bucket
            entries.add(start(1, fire, 0, firstHalf ? 6_000 : 10));
        }
        LedgerVerdict v = LedgerAnalysis.analyse(entries, jobs, 1, EVERY_SECOND, FROM, TO, Duration.ofSeconds(5));

        assertThat(v.series()).hasSize(2);
        LedgerVerdict.Bucket first = v.series().get(0);
        LedgerVerdict.Bucket second = v.series().get(1);
        assertThat(first.expected()).isEqualTo(5);
        assertThat(first.started()).isEqualTo(5);
        assertThat(first.lateness().p50()).isEqualTo(6_000_000);
        assertThat(first.starts()).isZero();
        assertThat(second.lateness().p50()).isEqualTo(10_000);
        assertThat(second.starts()).as("four of the first half's fires and all five of the second's").isEqualTo(9);
        assertThat(second.startsPerSecond()).isEqualTo(1.8);
    }
}
