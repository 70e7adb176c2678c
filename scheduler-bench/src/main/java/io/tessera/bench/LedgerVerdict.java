package io.tessera.bench;

import java.time.Instant;
import java.util.List;

/**
 * What the ledgers say about the fires scheduled in a window, computed from the cron and the
 * ledgers alone, never from Tessera's own counters.
 *
 * @param expected          (job, fire time, shard) triples the cron asks for in the window
 * @param started           of those, how many started at least once (however late, until the ledgers were read)
 * @param missed            {@code expected - started}
 * @param duplicates        starts beyond the first of one (job, fire time, shard), whichever run they belong to
 * @param duplicatesSameRun of the duplicates, those of a (run, shard) that had already started
 * @param unexpected        starts of the window's jobs for a fire time or shard the cron does not have
 * @param early             first starts before their fire time
 * @param startsInWindow    handler starts whose start time lies in the window, whatever their fire time: the achieved rate
 * @param lateness          first start minus fire time, over the started triples
 * @param latenessAll       the same over every expected triple, a missed one counting as {@link Lateness#NEVER}:
 *                          a p99 that a run with 2 % missed fires cannot hide
 * @param series            the same per bucket of fire time (lateness, missed) and of start time (starts)
 */
public record LedgerVerdict(long expected, long started, long missed, long duplicates, long duplicatesSameRun,
                            long unexpected, long early, long startsInWindow, double windowSeconds,
                            Lateness lateness, Lateness latenessAll, List<Bucket> series) {

    /**
     * @param from     the bucket's first instant
     * @param expected triples whose fire time is in the bucket
     * @param started  of those, started
     * @param starts   handler starts whose start time is in the bucket
     * @param lateness of the started triples of the bucket
     */
    public record Bucket(Instant from, double seconds, long expected, long started, long starts, Lateness lateness) {

        public double startsPerSecond() {
            return starts / seconds;
        }
    }

    public double offeredPerSecond() {
        return expected / windowSeconds;
    }

    public double achievedPerSecond() {
        return startsInWindow / windowSeconds;
    }
}
