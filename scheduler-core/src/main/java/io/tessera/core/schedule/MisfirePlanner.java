package io.tessera.core.schedule;

import io.tessera.core.model.MisfirePolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Decides what to do with fire times that passed unfired (leader change, pause, outage). Pure.
 *
 * <p>A fire time is missed when it lies more than {@code threshold} in the past; fire times within
 * the threshold are simply late and fire normally.
 */
public final class MisfirePlanner {

    private MisfirePlanner() {
    }

    /**
     * @param lastRecorded the latest fire time already recorded for the job, or null if none (then
     *                     nothing counts as missed: a new job's first fire is its first one after now)
     * @param now          the current time
     * @param threshold    how late a fire may be and still fire as if on time
     * @param catchUpLimit at most this many missed fires are fired under CATCH_UP (the newest ones)
     */
    public static Plan plan(Schedule schedule, MisfirePolicy policy, Instant lastRecorded, Instant now,
                            Duration threshold, int catchUpLimit) {
        Instant missedBefore = now.minus(threshold);
        if (lastRecorded == null || !lastRecorded.isBefore(missedBefore)) {
            return new Plan(List.of(), 0, lastRecorded == null ? now : lastRecorded);
        }
        // Count beyond the limit so that the plan can say how many were dropped.
        int probe = Math.max(catchUpLimit, 1) + 10_000;
        List<Instant> missed = schedule.fireTimesBetween(lastRecorded, missedBefore, probe);
        if (missed.isEmpty()) {
            return new Plan(List.of(), 0, lastRecorded);
        }
        Instant resumeAfter = missed.get(missed.size() - 1);
        return switch (policy) {
            case SKIP -> new Plan(List.of(), missed.size(), resumeAfter);
            case FIRE_ONCE -> new Plan(List.of(resumeAfter), missed.size() - 1, resumeAfter);
            case CATCH_UP -> {
                int keep = Math.min(catchUpLimit, missed.size());
                yield new Plan(List.copyOf(missed.subList(missed.size() - keep, missed.size())), missed.size() - keep,
                        resumeAfter);
            }
        };
    }

    /**
     * @param fireNow     missed fire times to record and fire now, oldest first
     * @param skipped     missed fire times dropped (at least; counting stops at a large bound)
     * @param resumeAfter regular scheduling continues with fire times strictly after this
     */
    public record Plan(List<Instant> fireNow, int skipped, Instant resumeAfter) {
    }
}
