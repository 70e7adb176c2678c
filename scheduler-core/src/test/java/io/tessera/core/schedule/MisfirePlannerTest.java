package io.tessera.core.schedule;

import io.tessera.core.model.MisfirePolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

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
}
