package io.tessera.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one trial measured. Counter deltas span the window; "per shard" figures divide them by
 * the handler starts in the window ({@link LedgerVerdict#startsInWindow()}), the work actually done.
 *
 * @param resultsDelay from the window's last fire time until the database held a SUCCEEDED result for
 *                     every expected shard run of the window; null when that did not happen before the timeout
 * @param cpuSeconds   per process over the window, in start order (admin, workers, ZooKeeper, MariaDB, this benchmark)
 * @param zkDelta      mntr counters' change over the window; empty when mntr was refused
 * @param dbDelta      {@code SHOW GLOBAL STATUS} counters' change over the window (the whole server's)
 * @param health       {@code /actuator/health} statuses seen during the window, with counts
 * @param heapAfterGcKb the admin's heap after a full collection before and after the window (soak only), else null
 * @param recovery     what happened after the load dropped (overload, {@code --drop-to}), else null
 */
record TrialResult(BenchOptions.Load load, int agents, boolean standaloneZooKeeper, Instant windowStart,
                   Duration window, LedgerVerdict verdict, int badLedgerLines, long resultsExpected,
                   long resultsInDb, Duration resultsDelay, Duration resultsTimeout, Map<String, Double> cpuSeconds,
                   Map<String, Long> zkDelta, Long znodesBefore, Long znodesAfter, Map<String, Long> dbDelta,
                   Map<String, Integer> health, List<String> healthDetails, long[] heapAfterGcKb,
                   List<Sample> samples, LogSummary adminLog, LogSummary workerLogs, double jobCreationSeconds,
                   List<String> notes, Recovery recovery) {

    /**
     * The load dropped after the window: all jobs but {@code keptJobs} paused, which took {@code pausing}.
     *
     * @param untilUp    from the last pause until the first of three health readings in a row said UP;
     *                   null when that did not happen within {@code bound}
     * @param statuses   the health statuses read meanwhile, with counts
     * @param lastDetail the last health body that was not UP (the queue depths it named)
     */
    record Recovery(int keptJobs, Duration pausing, Duration untilUp, Duration bound, Map<String, Integer> statuses,
                    String lastDetail) {
    }

    /** A periodic reading during a long window. */
    record Sample(double atSeconds, Long heapUsedKb, Long znodes, Long zkDataBytes, Double adminCpuSeconds) {
    }

    /** WARN and ERROR lines of some logs, with the most frequent messages (digits folded). */
    record LogSummary(long errors, long warnings, List<String> top) {
        static final LogSummary NONE = new LogSummary(0, 0, List.of());
    }

    double perShard(Long delta) {
        return delta == null || verdict.startsInWindow() == 0 ? Double.NaN : delta / (double) verdict.startsInWindow();
    }

    Long zk(String key) {
        return zkDelta.get(key);
    }

    Long db(String key) {
        return dbDelta.get(key);
    }
}
