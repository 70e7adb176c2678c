package io.tessera.bench;

import java.util.Arrays;

/**
 * Exact nearest-rank percentiles of lateness in microseconds (no histogram rounding: the ledgers are
 * small enough to sort). {@code count == 0} when nothing started.
 */
record Lateness(long count, long p50, long p99, long p999, long max, long min) {

    static final Lateness NONE = new Lateness(0, 0, 0, 0, 0, 0);

    /** The lateness of a fire that never started. */
    static final long NEVER = Long.MAX_VALUE;

    /** @param micros lateness values; sorted in place */
    static Lateness of(long[] micros, int length) {
        if (length == 0) {
            return NONE;
        }
        Arrays.sort(micros, 0, length);
        return new Lateness(length, percentile(micros, length, 50), percentile(micros, length, 99),
                percentile(micros, length, 99.9), micros[length - 1], micros[0]);
    }

    /** Nearest rank: the smallest value with at least {@code p} percent of the values at or below it. */
    static long percentile(long[] sorted, int length, double p) {
        if (length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(p / 100.0 * length);
        return sorted[Math.min(length, Math.max(1, rank)) - 1];
    }

    static String ms(long micros) {
        if (micros == NEVER) {
            return "never";
        }
        double ms = micros / 1000.0;
        return Math.abs(ms) >= 100 ? String.format("%.0f", ms) : Math.abs(ms) >= 10 ? String.format("%.1f", ms)
                : String.format("%.2f", ms);
    }

    String summary() {
        return count == 0 ? "none started" : "p50 " + withUnit(p50) + ", p99 " + withUnit(p99) + ", p99.9 "
                + withUnit(p999) + ", max " + withUnit(max);
    }

    private static String withUnit(long micros) {
        return micros == NEVER ? "never" : ms(micros) + " ms";
    }
}
