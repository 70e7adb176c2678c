package io.tessera.admin.fire;

import io.tessera.admin.store.RunStore.NewRun;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.MisfirePlanner;
import io.tessera.core.schedule.ScheduleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Decides which fires to record: keeps, per scheduled job, the next fire time not yet recorded,
 * hands out the fires that enter the look-ahead as one batch, and applies each job's misfire policy
 * to fire times that passed unrecorded. Pure bookkeeping: the caller reads the database and records
 * the batches (off the engine thread) and rewinds a batch the database refused. Confined to the
 * engine thread.
 */
public final class FirePlanner {

    private static final Logger log = LoggerFactory.getLogger(FirePlanner.class);
    private static final int MAX_FIRES_PER_JOB_PER_PASS = 1_000;
    /**
     * Shards a batch holds at most: the database records a bounded batch in bounded time, so an engine
     * that falls behind records fires steadily, and fires that fell past the misfire threshold while
     * they waited meet their policy here, before anything of them is written.
     */
    static final int MAX_SHARDS_PER_BATCH = 10_000;

    /**
     * The scheduled jobs as the database has them now, and the latest recorded scheduled fire of
     * each job in {@code lastFires} (only jobs that {@link #needsLastFire} asked for).
     */
    public record JobsRead(List<JobDefinition> scheduled, Map<Long, Instant> lastFires) {
    }

    /**
     * What applying a read found.
     *
     * @param missed   runs for missed fires that the misfire policy fires now, to record
     * @param firedNow per job, how many missed fire times are in {@code missed}
     * @param dropped  jobs no longer scheduled (disabled, deleted, made manual)
     */
    public record Reload(List<NewRun> missed, Map<Long, Integer> firedNow, Set<Long> dropped) {
    }

    /** A batch of fires to record; {@link #rewind} undoes the cursors' advance when it could not be. */
    public static final class Batch {
        private final List<NewRun> runs;
        private final Map<JobCursors.Cursor, Instant> before;
        private final int skipped;

        private Batch(List<NewRun> runs, Map<JobCursors.Cursor, Instant> before, int skipped) {
            this.runs = List.copyOf(runs);
            this.before = before;
            this.skipped = skipped;
        }

        /** Fire times their misfire policy skipped: they are not recorded. */
        public int skipped() {
            return skipped;
        }

        public List<NewRun> runs() {
            return runs;
        }

        public boolean isEmpty() {
            return runs.isEmpty();
        }
    }

    private final Duration lookAhead;
    private final Duration misfireThreshold;
    private final int catchUpLimit;
    private final ToIntFunction<JobDefinition> shardCount;
    private final JobCursors cursors = new JobCursors();

    /** @param shardCount how many shards a new run of the job has (broadcast jobs: the group's size now) */
    public FirePlanner(Duration lookAhead, Duration misfireThreshold, int catchUpLimit, ToIntFunction<JobDefinition> shardCount) {
        this.lookAhead = lookAhead;
        this.misfireThreshold = misfireThreshold;
        this.catchUpLimit = catchUpLimit;
        this.shardCount = shardCount;
    }

    /** Whether a read must bring this job's last recorded fire: it is new here or its definition changed. */
    public boolean needsLastFire(JobDefinition job) {
        return cursors.get(job.id()).map(cursor -> !cursor.job.equals(job)).orElse(true);
    }

    /** Takes a read: new and changed jobs start after their misfire policy; jobs no longer scheduled are dropped. */
    public Reload apply(JobsRead read, Instant now) {
        Map<Long, Integer> firedNow = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        List<NewRun> missed = new ArrayList<>();
        for (JobDefinition job : read.scheduled()) {
            ids.add(job.id());
            if (!needsLastFire(job)) {
                continue;
            }
            Instant last = read.lastFires().get(job.id());
            MisfirePlanner.Plan plan = MisfirePlanner.plan(job.schedule(), job.misfire(), last, now, misfireThreshold, catchUpLimit);
            if (plan.skipped() > 0) {
                log.info("Job {}: {} missed fire(s) skipped by misfire policy {}", job.name(), plan.skipped(), job.misfire());
            }
            plan.fireNow().forEach(at -> missed.add(newRun(job, at, now)));
            if (!plan.fireNow().isEmpty()) {
                firedNow.put(job.id(), plan.fireNow().size());
            }
            cursors.put(job, plan.resumeAfter());
        }
        Set<Long> dropped = new HashSet<>();
        for (JobCursors.Cursor cursor : cursors.all()) {
            if (!ids.contains(cursor.job.id())) {
                cursors.remove(cursor.job.id());
                dropped.add(cursor.job.id());
            }
        }
        return new Reload(missed, firedNow, dropped);
    }

    /**
     * The fires due up to {@code now + look-ahead}, cursors advanced past them. Fires already later
     * than the misfire threshold follow their job's policy.
     */
    public Batch due(Instant now) {
        Instant horizon = now.plus(lookAhead);
        Instant missedBefore = now.minus(misfireThreshold);
        List<NewRun> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int skippedFires = 0;
        int shards = 0;
        Map<JobCursors.Cursor, Instant> before = new LinkedHashMap<>();
        for (Optional<JobCursors.Cursor> due = cursors.pollDue(horizon); due.isPresent(); due = cursors.pollDue(horizon)) {
            JobCursors.Cursor cursor = due.get();
            before.put(cursor, cursor.after);
            JobDefinition job = cursor.job;
            if (cursor.next.isBefore(missedBefore)) {
                MisfirePlanner.Plan plan = MisfirePlanner.plan(job.schedule(), job.misfire(), cursor.after, now,
                        misfireThreshold, catchUpLimit);
                if (plan.skipped() > 0) {
                    skippedFires += plan.skipped();
                    if (skipped.size() < 5) {
                        skipped.add("job " + job.name() + ": " + plan.skipped() + " (misfire policy " + job.misfire() + ")");
                    }
                }
                plan.fireNow().forEach(at -> runs.add(newRun(job, at, now)));
                cursor.advanceTo(plan.resumeAfter());
            }
            int count = 0;
            while (cursor.next != null && !cursor.next.isAfter(horizon) && count++ < MAX_FIRES_PER_JOB_PER_PASS) {
                runs.add(newRun(job, cursor.next, now));
                cursor.advanceTo(cursor.next);
            }
            shards += count * Math.max(1, job.shardCount());
            if (shards >= MAX_SHARDS_PER_BATCH) {
                break;
            }
        }
        before.keySet().forEach(cursors::requeue);
        if (skippedFires > 0) {
            log.warn("{} fire(s) missed while the engine was paused or overloaded were skipped by their misfire policy: {}{}",
                    skippedFires, String.join("; ", skipped), skipped.size() == 5 ? "; …" : "");
        }
        return new Batch(runs, before, skippedFires);
    }

    /** The database refused a batch: its fires are planned again (or misfire) on a later pass. */
    public void rewind(Batch batch) {
        batch.before.forEach((cursor, after) -> {
            cursors.remove(cursor.job.id());
            cursors.put(cursor.job, after);
        });
    }

    /** How long ago the earliest fire not yet recorded was due: zero while the planner is ahead. */
    public Duration behind(Instant now) {
        Instant next = cursors.earliestNext();
        return next == null || !next.isBefore(now) ? Duration.ZERO : Duration.between(next, now);
    }

    /** The scheduled job with this id, as the planner knows it. */
    public Optional<JobDefinition> scheduledJob(long jobId) {
        return cursors.get(jobId).map(cursor -> cursor.job);
    }

    public int scheduledJobs() {
        return cursors.size();
    }

    /** A new run of a job. */
    public JobRun runFor(JobDefinition job, Instant at, TriggerKind kind, String params, Instant now) {
        return new JobRun(null, job.id(), kind, at, RunStatus.PENDING, params, shardCount.applyAsInt(job), 1, now, null, null, "");
    }

    private NewRun newRun(JobDefinition job, Instant at, Instant now) {
        return new NewRun(runFor(job, at, scheduledKind(job), job.params(), now), null);
    }

    public static TriggerKind scheduledKind(JobDefinition job) {
        return job.schedule().type() == ScheduleType.FIXED_RATE ? TriggerKind.FIXED_RATE : TriggerKind.CRON;
    }

    public static boolean isScheduledKind(TriggerKind kind) {
        return kind == TriggerKind.CRON || kind == TriggerKind.FIXED_RATE;
    }
}
