package io.tessera.admin.engine;

import io.tessera.admin.store.RunStore.NewRun;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.MisfirePlanner;
import io.tessera.core.schedule.ScheduleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which fires to record: keeps, per scheduled job, the next fire time not yet recorded,
 * records the fires that enter the look-ahead in one batch, and applies each job's misfire policy
 * to fire times that passed unrecorded. Also the engine's cache of job definitions. Confined to the
 * engine thread.
 */
final class FirePlanner {

    private static final Logger log = LoggerFactory.getLogger(FirePlanner.class);
    private static final int MAX_FIRES_PER_JOB_PER_PASS = 1_000;

    /**
     * What a reload found.
     *
     * @param missedFired recorded runs for missed fires that the misfire policy fires now
     * @param firedNow    per job, how many missed fire times are in {@code missedFired}
     * @param dropped     jobs that are no longer scheduled (disabled, deleted, made manual)
     */
    record Reload(List<JobRun> missedFired, Map<Long, Integer> firedNow, Set<Long> dropped) {
    }

    private final EngineContext ctx;
    private final EngineSettings settings;
    private final JobCursors cursors = new JobCursors();
    private final Map<Long, JobDefinition> jobs = new HashMap<>();

    FirePlanner(EngineContext ctx) {
        this.ctx = ctx;
        this.settings = ctx.settings();
    }

    /** Reloads the scheduled jobs; new and changed ones start after their misfire policy is applied. */
    Reload reload(Instant now) {
        Map<Long, Integer> firedNow = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        List<NewRun> missed = new ArrayList<>();
        for (JobDefinition job : ctx.jobs().listScheduled()) {
            ids.add(job.id());
            JobDefinition known = jobs.put(job.id(), job);
            if (job.equals(known) && cursors.get(job.id()).isPresent()) {
                continue;
            }
            Instant last = ctx.runs().lastScheduledFire(job.id()).orElse(null);
            MisfirePlanner.Plan plan = MisfirePlanner.plan(job.schedule(), job.misfire(), last, now,
                    settings.misfireThreshold(), settings.catchUpLimit());
            if (plan.skipped() > 0) {
                log.info("Job {}: {} missed fire(s) skipped by misfire policy {}", job.name(), plan.skipped(), job.misfire());
            }
            plan.fireNow().forEach(at -> missed.add(newRun(job, at, scheduledKind(job), now)));
            if (!plan.fireNow().isEmpty()) {
                firedNow.put(job.id(), plan.fireNow().size());
            }
            cursors.put(job, plan.resumeAfter());
        }
        // Jobs that are not scheduled are cached on demand; drop them so that changes are seen.
        jobs.keySet().retainAll(ids);
        Set<Long> dropped = new HashSet<>();
        for (JobCursors.Cursor cursor : cursors.all()) {
            if (!ids.contains(cursor.job.id())) {
                cursors.remove(cursor.job.id());
                dropped.add(cursor.job.id());
            }
        }
        List<JobRun> inserted = missed.isEmpty() ? List.of() : ctx.runs().insertAll(missed);
        if (!inserted.isEmpty()) {
            log.info("Firing {} missed fire(s) now, as the jobs' misfire policies say", inserted.size());
        }
        return new Reload(inserted, firedNow, dropped);
    }

    /**
     * Records, in one batch, the fires due up to {@code now + look-ahead}. Fires that are already
     * later than the misfire threshold follow their job's policy. When the database refuses the
     * batch, the cursors are rewound and the error rethrown: nothing is lost, the fires are planned
     * again (or misfire) on a later pass.
     */
    List<JobRun> plan(Instant now) {
        Instant horizon = now.plus(settings.lookAhead());
        Instant missedBefore = now.minus(settings.misfireThreshold());
        List<NewRun> batch = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<JobCursors.Cursor, Instant> before = new LinkedHashMap<>();
        for (Optional<JobCursors.Cursor> due = cursors.pollDue(horizon); due.isPresent(); due = cursors.pollDue(horizon)) {
            JobCursors.Cursor cursor = due.get();
            before.put(cursor, cursor.after);
            JobDefinition job = cursor.job;
            if (cursor.next.isBefore(missedBefore)) {
                MisfirePlanner.Plan plan = MisfirePlanner.plan(job.schedule(), job.misfire(), cursor.after, now,
                        settings.misfireThreshold(), settings.catchUpLimit());
                if (plan.skipped() > 0) {
                    skipped.add("job " + job.name() + ": " + plan.skipped() + " (misfire policy " + job.misfire() + ")");
                }
                plan.fireNow().forEach(at -> batch.add(newRun(job, at, scheduledKind(job), now)));
                cursor.advanceTo(plan.resumeAfter());
            }
            int count = 0;
            while (cursor.next != null && !cursor.next.isAfter(horizon) && count++ < MAX_FIRES_PER_JOB_PER_PASS) {
                batch.add(newRun(job, cursor.next, scheduledKind(job), now));
                cursor.advanceTo(cursor.next);
            }
        }
        if (batch.isEmpty()) {
            before.keySet().forEach(cursors::requeue);
            if (!skipped.isEmpty()) {
                log.warn("Fires missed while the engine was paused or overloaded were skipped: {}", String.join("; ", skipped));
            }
            return List.of();
        }
        try {
            List<JobRun> inserted = ctx.runs().insertAll(batch);
            before.keySet().forEach(cursors::requeue);
            if (!skipped.isEmpty()) {
                log.warn("Fires missed while the engine was paused or overloaded were skipped: {}", String.join("; ", skipped));
            }
            return inserted;
        } catch (RuntimeException e) {
            before.forEach(JobCursors.Cursor::advanceTo);
            before.keySet().forEach(cursors::requeue);
            throw e;
        }
    }

    /** A job by id: scheduled ones from memory, others read once and cached until the next reload. */
    Optional<JobDefinition> job(long jobId) {
        JobDefinition cached = jobs.get(jobId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<JobDefinition> stored = ctx.jobs().find(jobId);
        stored.ifPresent(job -> jobs.put(jobId, job));
        return stored;
    }

    int scheduledJobs() {
        return cursors.size();
    }

    /** A new run of a job, with its shard count (for broadcast jobs: the group's size now). */
    JobRun runFor(JobDefinition job, Instant at, TriggerKind kind, String params, Instant now) {
        int shardTotal = job.routing() == RoutingStrategy.SHARDING_BROADCAST
                ? Math.max(1, ctx.directory().group(job.group()).size())
                : job.shardCount();
        return new JobRun(null, job.id(), kind, at, RunStatus.PENDING, params, shardTotal, 1, now, null, null, "");
    }

    private NewRun newRun(JobDefinition job, Instant at, TriggerKind kind, Instant now) {
        return new NewRun(runFor(job, at, kind, job.params(), now), null);
    }

    static TriggerKind scheduledKind(JobDefinition job) {
        return job.schedule().type() == ScheduleType.FIXED_RATE ? TriggerKind.FIXED_RATE : TriggerKind.CRON;
    }

    static boolean isScheduledKind(TriggerKind kind) {
        return kind == TriggerKind.CRON || kind == TriggerKind.FIXED_RATE;
    }
}
