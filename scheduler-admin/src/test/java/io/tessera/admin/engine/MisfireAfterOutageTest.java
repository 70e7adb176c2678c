package io.tessera.admin.engine;

import io.tessera.admin.store.RunStore.NewRun;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12, "misfire after a long outage": a job every second whose last recorded fire is a day old
 * (86,400 missed fire times) is picked up by the engine. Only what its misfire policy says may be
 * recorded for the gap: SKIP nothing, FIRE_ONCE one run, CATCH_UP the catch-up limit (100 by default).
 */
class MisfireAfterOutageTest extends EngineTestBase {

    private static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(5);
    private static final int CATCH_UP_LIMIT = 100;

    @ParameterizedTest
    @EnumSource(MisfirePolicy.class)
    void aDayLongGapRecordsOnlyWhatTheMisfirePolicySays(MisfirePolicy policy) throws Exception {
        String group = "misfire-" + policy.name().toLowerCase();
        agents.start(agents.config(group), "tick", Agents::ok);
        JobDefinition job = jobService.create(JobDefinition.builder("day-gap-" + policy).group(group).handler("tick")
                .schedule(Schedule.fixedRate(1)).misfire(policy).enabled(false).build(), "test");
        Instant dayAgo = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JobRun last = runStore.insertAll(List.of(new NewRun(new JobRun(null, job.id(), TriggerKind.FIXED_RATE, dayAgo,
                RunStatus.PENDING, "", 1, 1, dayAgo, null, null, ""), null))).get(0);
        runStore.updateRun(last.id(), RunStatus.SUCCEEDED, 1, dayAgo, dayAgo, "");

        Instant enabledAt = Instant.now();
        Instant cutOff = enabledAt.minus(MISFIRE_THRESHOLD);
        jobService.setEnabled(job.id(), true, "test");
        try {
            await("regular fires after the gap").atMost(Duration.ofSeconds(20))
                    .until(() -> runStore.lastScheduledFire(job.id()).orElse(dayAgo).isAfter(enabledAt.plusSeconds(2)));
            int byPolicy = switch (policy) {
                case SKIP -> 0;
                case FIRE_ONCE -> 1;
                case CATCH_UP -> CATCH_UP_LIMIT;
            };
            // The fires of the last threshold before enabling are on time, not missed: at most one a second.
            long onTime = MISFIRE_THRESHOLD.toSeconds();
            await("the gap holds what the policy fires and the on-time fires, no more")
                    .during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> runsBetween(job.id(), dayAgo.plusMillis(1), enabledAt),
                            count -> count >= byPolicy && count <= byPolicy + onTime);
            // Well before the cut-off only CATCH_UP fires anything: FIRE_ONCE fires the newest missed time, at the cut-off.
            long wellBefore = runsBetween(job.id(), dayAgo.plusMillis(1), cutOff.minusSeconds(2));
            if (policy == MisfirePolicy.CATCH_UP) {
                assertThat(wellBefore).isBetween((long) CATCH_UP_LIMIT - 3, (long) CATCH_UP_LIMIT);
            } else {
                assertThat(wellBefore).isZero();
            }
        } finally {
            jobService.setEnabled(job.id(), false, "test");
        }
    }

    /** Runs recorded for fire times in {@code [from, to)}. */
    private long runsBetween(long jobId, Instant from, Instant to) {
        return runStore.count(jobId, null, from, to);
    }
}
