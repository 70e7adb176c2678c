package io.tessera.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns ledgers and a schedule into a {@link LedgerVerdict}. Pure: no clock, no files, no Tessera.
 * Every job of the window shares one list of fire times and one shard count.
 */
public final class LedgerAnalysis {

    private static final Comparator<LedgerEntry> BY_FIRE_THEN_START = Comparator
            .comparingLong(LedgerEntry::jobId)
            .thenComparingLong(LedgerEntry::scheduledAtMicros)
            .thenComparingInt(LedgerEntry::shard)
            .thenComparingLong(LedgerEntry::startMicros);

    private LedgerAnalysis() {
    }

    /**
     * @param entries   every ledger line of the run, of any job and fire time
     * @param jobIds    the jobs whose fires count
     * @param shards    shards per run of each of those jobs
     * @param fireTimes the fire times of each job in {@code [from, to)}, from the cron
     * @param bucket    width of {@link LedgerVerdict#series()} buckets; null for no series
     */
    public static LedgerVerdict analyse(Collection<LedgerEntry> entries, Set<Long> jobIds, int shards,
                                        List<Instant> fireTimes, Instant from, Instant to, Duration bucket) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty window " + from + " .. " + to);
        }
        long fromMicros = LedgerEntry.micros(from);
        long toMicros = LedgerEntry.micros(to);
        Set<Long> fires = new HashSet<>();
        for (Instant fire : fireTimes) {
            if (fire.isBefore(from) || !fire.isBefore(to)) {
                throw new IllegalArgumentException("fire time " + fire + " is outside the window " + from + " .. " + to);
            }
            fires.add(LedgerEntry.micros(fire));
        }
        Buckets buckets = bucket == null ? null : new Buckets(fromMicros, toMicros, bucket.toNanos() / 1000);

        List<LedgerEntry> ours = new ArrayList<>();
        long startsInWindow = 0;
        for (LedgerEntry e : entries) {
            if (!jobIds.contains(e.jobId())) {
                continue;
            }
            if (e.startMicros() >= fromMicros && e.startMicros() < toMicros) {
                startsInWindow++;
                if (buckets != null) {
                    buckets.starts[buckets.index(e.startMicros())]++;
                }
            }
            if (e.scheduledAtMicros() >= fromMicros && e.scheduledAtMicros() < toMicros) {
                ours.add(e);
            }
        }
        ours.sort(BY_FIRE_THEN_START);

        long started = 0, duplicates = 0, sameRun = 0, unexpected = 0, early = 0;
        long[] lateness = new long[ours.size()];
        int n = 0;
        for (int i = 0; i < ours.size(); ) {
            LedgerEntry first = ours.get(i);
            int j = i + 1;
            Set<Long> runs = new HashSet<>();
            runs.add(first.runId());
            while (j < ours.size() && sameFireAndShard(first, ours.get(j))) {
                if (!runs.add(ours.get(j).runId())) {
                    sameRun++;
                }
                j++;
            }
            if (!fires.contains(first.scheduledAtMicros()) || first.shard() < 0 || first.shard() >= shards) {
                unexpected += j - i;
            } else {
                started++;
                duplicates += j - i - 1;
                lateness[n++] = first.latenessMicros();
                early += first.latenessMicros() < 0 ? 1 : 0;
                if (buckets != null) {
                    buckets.add(first.scheduledAtMicros(), first.latenessMicros());
                }
            }
            i = j;
        }
        long expected = (long) jobIds.size() * fires.size() * shards;
        List<LedgerVerdict.Bucket> series = buckets == null ? List.of()
                : buckets.finish(fires, (long) jobIds.size() * shards);
        double seconds = (toMicros - fromMicros) / 1e6;
        long[] all = java.util.Arrays.copyOf(lateness, (int) Math.max(expected, n));
        java.util.Arrays.fill(all, n, all.length, Lateness.NEVER);
        return new LedgerVerdict(expected, started, expected - started, duplicates, sameRun, unexpected, early,
                startsInWindow, seconds, Lateness.of(lateness, n), Lateness.of(all, all.length), series);
    }

    private static boolean sameFireAndShard(LedgerEntry a, LedgerEntry b) {
        return a.jobId() == b.jobId() && a.scheduledAtMicros() == b.scheduledAtMicros() && a.shard() == b.shard();
    }

    /** Per-bucket tallies; lateness values are kept per bucket to give exact percentiles. */
    private static final class Buckets {
        final long from;
        final long to;
        final long width;
        final long[] starts;
        final long[] started;
        final List<long[]> late = new ArrayList<>();
        final int[] lateCount;

        Buckets(long from, long to, long width) {
            if (width <= 0) {
                throw new IllegalArgumentException("bucket width must be positive");
            }
            this.from = from;
            this.to = to;
            this.width = width;
            int count = (int) ((to - from + width - 1) / width);
            starts = new long[count];
            started = new long[count];
            lateCount = new int[count];
            for (int i = 0; i < count; i++) {
                late.add(new long[16]);
            }
        }

        int index(long micros) {
            return (int) ((micros - from) / width);
        }

        void add(long scheduledAt, long latenessMicros) {
            int i = index(scheduledAt);
            started[i]++;
            long[] values = late.get(i);
            if (lateCount[i] == values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
                late.set(i, values);
            }
            values[lateCount[i]++] = latenessMicros;
        }

        List<LedgerVerdict.Bucket> finish(Set<Long> fires, long triplesPerFire) {
            long[] expected = new long[starts.length];
            for (long fire : fires) {
                expected[index(fire)] += triplesPerFire;
            }
            List<LedgerVerdict.Bucket> result = new ArrayList<>();
            for (int i = 0; i < starts.length; i++) {
                long start = from + i * width;
                double seconds = (Math.min(to, start + width) - start) / 1e6;
                result.add(new LedgerVerdict.Bucket(LedgerEntry.instant(start), seconds, expected[i], started[i],
                        starts[i], Lateness.of(late.get(i), lateCount[i])));
            }
            return result;
        }
    }
}
