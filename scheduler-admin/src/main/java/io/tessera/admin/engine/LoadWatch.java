package io.tessera.admin.engine;

import io.tessera.admin.store.RunChange;
import io.tessera.core.model.JobRun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells whether the engine keeps up, once a second: it is overloaded while fires are not recorded by
 * their time, while runs are launched after their fire time, while handlers start after it (as their
 * executors report), while triggers queue up for executors, or while database writes queue up.
 * The health reason says which and how much, so an operator sees the queue depths. Confined to the
 * engine thread.
 */
final class LoadWatch {

    /** Launching a scheduled run later than this after its fire time means the engine is behind. */
    static final long LATE_MILLIS = 500;
    /** More triggers than this waiting for a free batch, over all executors. */
    static final int QUEUED_TRIGGERS = 5_000;
    /** More run and shard changes than this waiting for the database. */
    static final int QUEUED_WRITES = 20_000;
    /** Seconds in a row without any sign of overload before the engine counts as keeping up again. */
    private static final int CALM_SECONDS = 5;

    private final EngineTerm term;
    private long worstLateMillis;
    private long worstStartMillis;
    private long missedSinceCheck;
    private long missedTotal;
    private int skippedTotal;
    private int calmSeconds;
    private boolean overloaded;

    LoadWatch(EngineTerm term) {
        this.term = term;
    }

    /** Runs launched now; scheduled ones that are already past their fire time count towards lateness. */
    void launched(List<JobRun> runs, Instant now) {
        for (JobRun run : runs) {
            long late = now.toEpochMilli() - run.scheduledAt().toEpochMilli();
            if (late > worstLateMillis) {
                worstLateMillis = late;
            }
        }
    }

    /**
     * A handler of a scheduled run's first attempt started, by its executor's clock: the engine may
     * launch on time while executors or ZooKeeper fall behind, and only their reports show it.
     */
    void handlerStarted(Instant scheduledAt, Instant startedAt) {
        long late = startedAt.toEpochMilli() - scheduledAt.toEpochMilli();
        if (late > worstStartMillis) {
            worstStartMillis = late;
        }
    }

    /** Fires dropped by their misfire policy because the engine fell behind (when planned or when launched). */
    void missed(int count) {
        missedSinceCheck += count;
        missedTotal += count;
    }

    void skipped(RunChange change, Throwable error) {
        skippedTotal++;
    }

    void check() {
        int queuedTriggers = term.dispatcher.queued();
        int queuedWrites = term.writer.backlog();
        List<String> signs = new ArrayList<>();
        long behindMillis = term.planner.behind(term.now()).toMillis();
        if (behindMillis > LATE_MILLIS) {
            signs.add("fires not recorded yet " + behindMillis + " ms after their time");
        }
        if (worstLateMillis > LATE_MILLIS) {
            signs.add("runs launched up to " + worstLateMillis + " ms after their fire time");
        }
        if (worstStartMillis > LATE_MILLIS) {
            signs.add("handlers started up to " + worstStartMillis + " ms after their fire time (by their executors' clocks)");
        }
        if (missedSinceCheck > 0) {
            signs.add(missedSinceCheck + " late fire(s) dropped by their misfire policy in the last second (" + missedTotal
                    + " this term)");
        }
        if (queuedTriggers > QUEUED_TRIGGERS) {
            signs.add(queuedTriggers + " trigger(s) queued for executors");
        }
        if (queuedWrites > QUEUED_WRITES) {
            signs.add(queuedWrites + " database write(s) queued");
        }
        worstLateMillis = 0;
        worstStartMillis = 0;
        missedSinceCheck = 0;
        if (!signs.isEmpty()) {
            calmSeconds = 0;
            overloaded = true;
            term.overloaded(String.join("; ", signs) + depths(queuedTriggers, queuedWrites));
        } else if (overloaded && ++calmSeconds >= CALM_SECONDS) {
            overloaded = false;
            term.overloaded(null);
        }
    }

    private String depths(int queuedTriggers, int queuedWrites) {
        return " (queues: " + queuedTriggers + " trigger(s), " + queuedWrites + " write(s), " + term.runs.activeCount()
                + " active run(s), " + term.runs.scheduledCount() + " recorded ahead"
                + (skippedTotal > 0 ? "; " + skippedTotal + " change(s) the database refused were skipped" : "") + ")";
    }
}
