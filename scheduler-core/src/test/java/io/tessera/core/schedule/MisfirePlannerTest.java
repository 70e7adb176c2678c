package io.tessera.core.schedule;

import io.tessera.core.model.MisfirePolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MisfirePlannerTest {

    private static final Schedule EVERY_SECOND = Schedule.fixedRate(1);
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:10Z");
    private static final Duration THRESHOLD = Duration.ofSeconds(2);

    @Test
    void nothingIsMissedWhenTheLastFireIsRecent() {
        MisfirePlanner.Plan plan = MisfirePlanner.plan(EVERY_SECOND, MisfirePolicy.CATCH_UP,
                NOW.minusSeconds(1), NOW, THRESHOLD, 100);
        assertThat(plan.fireNow()).isEmpty();
        assertThat(plan.skipped()).isZero();
        assertThat(plan.resumeAfter()).isEqualTo(NOW.minusSeconds(1));
    }

    @Test
    void aNewJobStartsFromNow() {
        MisfirePlanner.Plan plan = MisfirePlanner.plan(EVERY_SECOND, MisfirePolicy.CATCH_UP, null, NOW, THRESHOLD, 100);
        assertThat(plan.fireNow()).isEmpty();
        assertThat(plan.resumeAfter()).isEqualTo(NOW);
    }

    @Test
    void skipDropsEveryMissedFire() {
        MisfirePlanner.Plan plan = MisfirePlanner.plan(EVERY_SECOND, MisfirePolicy.SKIP, NOW.minusSeconds(10), NOW, THRESHOLD, 100);
        // Missed: :01 .. :08 (8 fires); :09 and :10 are within the threshold and fire normally.
        assertThat(plan.fireNow()).isEmpty();
        assertThat(plan.skipped()).isEqualTo(8);
        assertThat(plan.resumeAfter()).isEqualTo(NOW.minusSeconds(2));
    }

    @Test
    void fireOnceFiresTheNewestMissedFireOnly() {
        MisfirePlanner.Plan plan = MisfirePlanner.plan(EVERY_SECOND, MisfirePolicy.FIRE_ONCE, NOW.minusSeconds(10), NOW, THRESHOLD, 100);
        assertThat(plan.fireNow()).containsExactly(NOW.minusSeconds(2));
        assertThat(plan.skipped()).isEqualTo(7);
    }

    @Test
    void catchUpFiresTheNewestMissedFiresUpToTheLimit() {
        MisfirePlanner.Plan plan = MisfirePlanner.plan(EVERY_SECOND, MisfirePolicy.CATCH_UP, NOW.minusSeconds(10), NOW, THRESHOLD, 3);
        assertThat(plan.fireNow()).containsExactly(NOW.minusSeconds(4), NOW.minusSeconds(3), NOW.minusSeconds(2));
        assertThat(plan.skipped()).isEqualTo(5);
        MisfirePlanner.Plan all = MisfirePlanner.plan(EVERY_SECOND, MisfirePolicy.CATCH_UP, NOW.minusSeconds(10), NOW, THRESHOLD, 100);
        assertThat(all.fireNow()).hasSize(8).isSorted();
        assertThat(all.skipped()).isZero();
    }

    @Test
    void aManualScheduleNeverMisfires() {
        MisfirePlanner.Plan plan = MisfirePlanner.plan(Schedule.none(), MisfirePolicy.CATCH_UP, NOW.minusSeconds(100), NOW, THRESHOLD, 100);
        assertThat(plan.fireNow()).isEmpty();
        assertThat(plan.skipped()).isZero();
    }

    @Test
    void aDayLongGapResumesAtTheCutOffWhateverThePolicy() {
        Instant dayAgo = NOW.minus(Duration.ofDays(1));
        Instant cutOff = NOW.minus(THRESHOLD);
        for (Schedule schedule : List.of(EVERY_SECOND, Schedule.cron("* * * * * ?", java.time.ZoneOffset.UTC))) {
            for (MisfirePolicy policy : MisfirePolicy.values()) {
                MisfirePlanner.Plan plan = MisfirePlanner.plan(schedule, policy, dayAgo, NOW, THRESHOLD, 5);
                assertThat(plan.resumeAfter()).as("%s %s", schedule, policy).isEqualTo(cutOff);
                assertThat(plan.skipped()).as("%s %s", schedule, policy).isGreaterThanOrEqualTo(MisfirePlanner.COUNT_BOUND - 5);
                List<Instant> expected = switch (policy) {
                    case SKIP -> List.of();
                    case FIRE_ONCE -> List.of(cutOff);
                    case CATCH_UP -> List.of(cutOff.minusSeconds(4), cutOff.minusSeconds(3), cutOff.minusSeconds(2),
                            cutOff.minusSeconds(1), cutOff);
                };
                assertThat(plan.fireNow()).as("%s %s", schedule, policy).isEqualTo(expected);
            }
        }
    }

    @Test
    void theNewestMissedFireOfASparseScheduleIsFoundFarBack() {
        Schedule hourly = Schedule.fixedRate(3600);
        Instant lastRecorded = Instant.parse("2026-11-20T00:00:00Z");
        MisfirePlanner.Plan plan = MisfirePlanner.plan(hourly, MisfirePolicy.FIRE_ONCE, lastRecorded, NOW, THRESHOLD, 100);
        assertThat(plan.fireNow()).containsExactly(Instant.parse("2026-11-25T12:00:00Z"));
        assertThat(plan.resumeAfter()).isEqualTo(Instant.parse("2026-11-25T12:00:00Z"));
        assertThat(plan.skipped()).isEqualTo(5 * 24 + 12 - 1);
    }
}
