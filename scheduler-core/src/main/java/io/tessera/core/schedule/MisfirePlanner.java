package io.tessera.core.schedule;

import io.tessera.core.model.MisfirePolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what to do with fire times that passed unfired (leader change, pause, outage). Pure.
 *
 * <p>A fire time is missed when it lies more than {@code threshold} in the past; fire times within
 * the threshold are simply late and fire normally.
 */
public final class MisfirePlanner {

    private MisfirePlanner() {
    }

    /** Missed fire times counted for the log at most: the count says "at least" beyond it. */
    static final int COUNT_BOUND = 10_000;
    private static final Duration FIRST_WINDOW = Duration.ofMinutes(1);

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
        Optional<Instant> firstMissed = schedule.nextFireTime(lastRecorded);
        if (firstMissed.isEmpty() || firstMissed.get().isAfter(missedBefore)) {
            return new Plan(List.of(), 0, lastRecorded);
        }
        int keep = switch (policy) {
            case SKIP -> 0;
            case FIRE_ONCE -> 1;
            case CATCH_UP -> Math.max(0, catchUpLimit);
        };
        // The newest missed fire is where regular scheduling resumes, however many came before it: it is found
        // by looking back from the cut-off, never by walking forward from the last recorded fire.
        List<Instant> newest = newestFireTimes(schedule, lastRecorded, missedBefore, Math.max(keep, 1));
        Instant resumeAfter = newest.get(newest.size() - 1);
        List<Instant> fireNow = newest.subList(newest.size() - Math.min(keep, newest.size()), newest.size());
        int missed = countFireTimes(schedule, lastRecorded, missedBefore);
        return new Plan(List.copyOf(fireNow), Math.max(0, missed - fireNow.size()), resumeAfter);
    }

    /**
     * The newest {@code count} fire times in {@code (after, upTo]}, oldest first, found in windows
     * that end at {@code upTo} and grow until they hold enough fires or reach {@code after}: the
     * cost follows the fires wanted, not the length of the gap.
     */
    static List<Instant> newestFireTimes(Schedule schedule, Instant after, Instant upTo, int count) {
        Duration window = FIRST_WINDOW;
        while (true) {
            Instant from = upTo.minus(window);
            boolean whole = !from.isAfter(after);
            if (whole) {
                from = after;
            }
            ArrayDeque<Instant> tail = new ArrayDeque<>(count);
            for (Optional<Instant> next = schedule.nextFireTime(from); next.isPresent() && !next.get().isAfter(upTo);
                 next = schedule.nextFireTime(next.get())) {
                if (tail.size() == count) {
                    tail.pollFirst();
                }
                tail.addLast(next.get());
            }
            if (tail.size() == count || whole) {
                return new ArrayList<>(tail);
            }
            window = window.multipliedBy(8);
        }
    }

    /** How many fire times lie in {@code (after, upTo]}, counted up to {@link #COUNT_BOUND}. */
    private static int countFireTimes(Schedule schedule, Instant after, Instant upTo) {
        int count = 0;
        for (Optional<Instant> next = schedule.nextFireTime(after); next.isPresent() && !next.get().isAfter(upTo)
                && count < COUNT_BOUND; next = schedule.nextFireTime(next.get())) {
            count++;
        }
        return count;
    }

    /**
     * @param fireNow     missed fire times to record and fire now, oldest first
     * @param skipped     missed fire times dropped (at least; counting stops at a large bound)
     * @param resumeAfter regular scheduling continues with fire times strictly after this
     */
    public record Plan(List<Instant> fireNow, int skipped, Instant resumeAfter) {
    }
}
