package io.tessera.admin.engine;

import io.tessera.admin.fire.FirePlanner;
import io.tessera.admin.store.RunStore.NewRun;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.zk.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fires: takes over at the start of a term, records the fires that enter the look-ahead (off the
 * engine thread) and arms the timer for them, reloads jobs when they change, applies misfire
 * policies, and launches runs when they come due. Confined to the engine thread.
 */
final class Planning {

    private static final Logger log = LoggerFactory.getLogger(Planning.class);

    private final EngineTerm term;
    private boolean recording;
    private boolean reloadQueued;
    private boolean reloading;

    Planning(EngineTerm term) {
        this.term = term;
    }

    // ---------------------------------------------------------------- start of term

    /** What a new leader reads before it schedules anything. */
    private record Takeover(FirePlanner.JobsRead jobs, List<JobRun> open, Map<Long, List<ShardRun>> shards,
                            Map<Long, List<io.tessera.admin.store.RunChange.Preempted>> preempted,
                            Map<Long, JobDefinition> openJobs, Set<Long> neverSent) {
    }

    void takeOver() {
        term.io(this::readTakeover, this::applyTakeover, error -> {
            log.warn("Cannot take over yet ({}); trying again in {} s", DatabaseFailures.rootMessage(error),
                    EngineTerm.DB_RETRY.toSeconds());
            term.later(EngineTerm.DB_RETRY, this::takeOver);
        });
    }

    private Takeover readTakeover() throws Exception {
        EngineParts parts = term.parts;
        if (!parts.directory().awaitInitialized(Duration.ofSeconds(10))) {
            log.warn("The executor directory is not read after 10 s; taking over with what it has");
        }
        try {
            parts.nodes().ensureRoot();
        } catch (Exception e) {
            log.warn("Cannot create {} in ZooKeeper now ({}); executors create run nodes themselves", ZkLayout.RUNS, e.toString());
        }
        List<JobDefinition> scheduled = parts.jobs().listScheduled();
        Map<Long, Instant> last = parts.runs().lastScheduledFires(scheduled.stream().map(JobDefinition::id).toList());
        List<JobRun> open = parts.runs().listOpen();
        List<Long> started = open.stream()
                .filter(run -> run.status() == RunStatus.WAITING || run.status() == RunStatus.RUNNING)
                .map(JobRun::id).toList();
        Map<Long, List<ShardRun>> shards = started.isEmpty() ? Map.of() : parts.runs().shardsOf(started);
        Map<Long, List<io.tessera.admin.store.RunChange.Preempted>> preempted = parts.runs().preemptionsOf(started);
        // A run still PENDING in the database may have been sent by the last leader just before it died (its
        // placement was not written yet): its attempt nodes say so, and such a run is taken over, not misfired.
        Instant missedBefore = parts.clock().instant().minus(term.settings.misfireThreshold());
        List<Long> late = open.stream().filter(run -> run.status() == RunStatus.PENDING
                && FirePlanner.isScheduledKind(run.trigger()) && run.scheduledAt().isBefore(missedBefore)).map(JobRun::id).toList();
        Set<Long> sent = late.isEmpty() ? Set.of() : parts.nodes().withAttempts(late).get(10, java.util.concurrent.TimeUnit.SECONDS);
        // Decided here, once: a run that becomes late between this read and its adoption was never checked in
        // ZooKeeper, so it cannot be called missed.
        Set<Long> neverSent = new HashSet<>(late);
        neverSent.removeAll(sent);
        Set<Long> known = new HashSet<>();
        scheduled.forEach(job -> known.add(job.id()));
        Map<Long, JobDefinition> openJobs = new HashMap<>();
        for (JobRun run : open) {
            if (known.add(run.jobId())) {
                parts.jobs().find(run.jobId()).ifPresent(job -> openJobs.put(job.id(), job));
            }
        }
        return new Takeover(new FirePlanner.JobsRead(scheduled, last), open, shards, preempted, openJobs, neverSent);
    }

    /**
     * Whatever one step of the take-over throws, the term begins: its loops are armed, and what the
     * step missed is caught up by a reload of the jobs and by reconciliation, never by a stalled engine.
     */
    private void applyTakeover(Takeover takeover) {
        try {
            adoptTakeover(takeover);
        } catch (RuntimeException e) {
            log.error("Part of taking over failed; scheduling starts anyway, the jobs are read again and open runs are"
                    + " reconciled", e);
            reloadSoon();
        }
        term.healthy();
        term.began();
        for (var card : term.parts.directory().all()) {
            startStep("probing executor " + card.id(), () -> term.dispatching.probe(card));
        }
        startStep("sweeping finished runs' nodes", () ->
                term.janitor.sweepAfter(term.settings.finishedRunRetention().plusSeconds(5), term.runs.openIds()));
        log.info("Engine started: {} scheduled job(s), {} open run(s)", term.planner.scheduledJobs(),
                term.runs.activeCount() + term.runs.scheduledCount());
    }

    private void adoptTakeover(Takeover takeover) {
        Instant now = term.now();
        term.jobs.reloaded(takeover.jobs().scheduled());
        takeover.openJobs().values().forEach(term.jobs::put);
        FirePlanner.Reload reload = term.planner.apply(takeover.jobs(), now);
        Map<Long, List<JobRun>> missed = term.reconciliation.adopt(takeover.open(), takeover.shards(), takeover.preempted(),
                takeover.neverSent());
        missed.forEach((jobId, runs) -> applyMisfirePolicy(jobId, runs, reload.firedNow().getOrDefault(jobId, 0)));
        record(reload.missed(), "missed fire(s) the jobs' misfire policies fire now");
    }

    private static void startStep(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.error("Start of term: {} failed; the engine goes on without it", what, e);
        }
    }

    /**
     * Recorded fires that nobody fired in time (the previous leader died first). They and the
     * unrecorded missed fires of the same job are one set for the policy: FIRE_ONCE fires one of
     * them all, CATCH_UP at most the limit, newest first.
     *
     * @param alreadyFired how many of the job's unrecorded missed fires were fired already
     */
    private void applyMisfirePolicy(long jobId, List<JobRun> runs, int alreadyFired) {
        MisfirePolicy policy = term.jobs.find(jobId).map(JobDefinition::misfire).orElse(MisfirePolicy.SKIP);
        runs.sort(Comparator.comparing(JobRun::scheduledAt));
        int keep = switch (policy) {
            case SKIP -> 0;
            case FIRE_ONCE -> alreadyFired > 0 ? 0 : 1;
            case CATCH_UP -> Math.max(0, Math.min(term.settings.catchUpLimit() - alreadyFired, runs.size()));
        };
        for (JobRun run : runs.subList(0, runs.size() - keep)) {
            cancelMissed(run, policy);
        }
        if (runs.size() > keep) {
            log.info("Job {}: {} recorded fire(s) were missed and skipped (misfire policy {})", jobId, runs.size() - keep, policy);
        }
        start(runs.subList(runs.size() - keep, runs.size()));
    }

    private void cancelMissed(JobRun run, MisfirePolicy policy) {
        term.runs.finishScheduled(run.id());
        term.completion.recordFinal(run.id(), RunStatus.CANCELLED, run.attempt(), null,
                "missed: not fired within " + term.settings.misfireThreshold().toSeconds() + " s (misfire policy " + policy + ")");
    }

    // ---------------------------------------------------------------- planning fires ahead

    /** Records the fires due within the look-ahead, one batch at a time, and arms the timer for them. */
    void plan() {
        if (recording) {
            return;
        }
        FirePlanner.Batch batch = term.planner.due(term.now());
        term.load.missed(batch.skipped());
        if (batch.isEmpty()) {
            return;
        }
        recording = true;
        term.io(() -> {
            List<JobRun> inserted = term.parts.runs().insertAll(batch.runs());
            term.parts.nodes().prepare(inserted.stream().map(JobRun::id).toList()).exceptionally(error -> {
                log.debug("Could not make run nodes ahead ({}); executors make them", error.toString());
                return null;
            });
            return inserted;
        }, inserted -> {
            recording = false;
            term.healthy();
            arm(inserted);
        }, error -> {
            recording = false;
            term.planner.rewind(batch);
            if (!DatabaseFailures.isDatabaseFailure(error)) {
                log.error("Recording {} fire(s) failed; they are planned again", batch.runs().size(), error);
            }
        });
    }

    /** Arms the timer for recorded fires: each burst (runs due at one instant) is sent a lead sized to it ahead. */
    private void arm(List<JobRun> recorded) {
        Map<Instant, Integer> shardsAt = new HashMap<>();
        for (JobRun run : recorded) {
            shardsAt.merge(run.scheduledAt(), run.shardTotal(), Integer::sum);
        }
        Instant now = term.now();
        List<JobRun> overdue = new ArrayList<>();
        for (JobRun run : recorded) {
            if (!term.runs.schedule(run)) {
                continue;
            }
            if (run.scheduledAt().isAfter(now)) {
                Duration lead = term.settings.leadFor(shardsAt.get(run.scheduledAt()));
                term.timer.add(run.id(), run.scheduledAt().toEpochMilli() - lead.toMillis());
            } else {
                overdue.add(run);
            }
        }
        onRuns(overdue);
    }

    /** Recorded fires whose time came: place and send them. */
    void onDue(List<Long> runIds) {
        List<JobRun> due = new ArrayList<>(runIds.size());
        for (long id : runIds) {
            JobRun run = term.runs.unschedule(id);
            if (run != null) {
                due.add(run);
            }
        }
        onRuns(due);
    }

    private void onRuns(List<JobRun> due) {
        if (due.isEmpty()) {
            return;
        }
        term.load.launched(due, term.now());
        start(dropMissed(due));
    }

    /**
     * Runs recorded elsewhere (a trigger on any admin, a take-over): schedule the future ones, start
     * the rest. Whether a late one should still run was decided where it was recorded or taken over.
     */
    void adopt(JobRun run) {
        if (run.scheduledAt().isAfter(term.now())) {
            if (term.runs.schedule(run)) {
                term.timer.add(run.id(), run.scheduledAt().toEpochMilli() - term.settings.dispatchLead().toMillis());
            }
        } else {
            start(List.of(run));
        }
    }

    /** Starts recorded runs: placement and dispatch. Runs of jobs this term has not read yet wait for the read. */
    void start(List<JobRun> fire) {
        List<ActiveRun> started = new ArrayList<>(fire.size());
        Set<Long> unknownJobs = new HashSet<>();
        List<JobRun> waitingForJob = new ArrayList<>();
        for (JobRun run : fire) {
            if (term.runs.isActive(run.id())) {
                continue;
            }
            Optional<JobDefinition> job = term.jobs.find(run.jobId());
            if (job.isEmpty()) {
                unknownJobs.add(run.jobId());
                waitingForJob.add(run);
                continue;
            }
            ActiveRun active = ActiveRun.fresh(run, job.get());
            if (term.runs.activate(active)) {
                started.add(active);
            }
        }
        term.dispatching.place(started);
        if (!unknownJobs.isEmpty()) {
            readJobsThenLaunch(unknownJobs, waitingForJob);
        }
    }

    private void readJobsThenLaunch(Set<Long> jobIds, List<JobRun> runs) {
        term.io(() -> {
            Map<Long, JobDefinition> found = new HashMap<>();
            for (long id : jobIds) {
                term.parts.jobs().find(id).ifPresent(job -> found.put(id, job));
            }
            return found;
        }, found -> {
            found.values().forEach(term.jobs::put);
            List<JobRun> launchable = new ArrayList<>();
            for (JobRun run : runs) {
                if (found.containsKey(run.jobId())) {
                    launchable.add(run);
                } else {
                    term.runs.finishScheduled(run.id());
                    term.completion.recordFinal(run.id(), RunStatus.FAILED, run.attempt(), null, "the job was deleted");
                }
            }
            start(launchable);
        }, error -> term.later(EngineTerm.DB_RETRY, () -> readJobsThenLaunch(jobIds, runs)));
    }

    /**
     * Scheduled fires that come due later than the misfire threshold (the engine fell that far
     * behind) follow their job's misfire policy instead of running late: SKIP drops them, FIRE_ONCE
     * fires the newest of a job's late fires, CATCH_UP fires them up to the limit. Manual, API,
     * child and retry runs are never dropped.
     */
    private List<JobRun> dropMissed(List<JobRun> runs) {
        Instant missedBefore = term.now().minus(term.settings.misfireThreshold());
        Map<Long, List<JobRun>> lateByJob = new LinkedHashMap<>();
        List<JobRun> fire = new ArrayList<>(runs.size());
        for (JobRun run : runs) {
            if (FirePlanner.isScheduledKind(run.trigger()) && run.scheduledAt().isBefore(missedBefore)) {
                lateByJob.computeIfAbsent(run.jobId(), id -> new ArrayList<>()).add(run);
            } else {
                fire.add(run);
            }
        }
        lateByJob.forEach((jobId, late) -> {
            MisfirePolicy policy = term.jobs.find(jobId).map(JobDefinition::misfire).orElse(MisfirePolicy.FIRE_ONCE);
            late.sort(Comparator.comparing(JobRun::scheduledAt));
            int keep = switch (policy) {
                case SKIP -> 0;
                case FIRE_ONCE -> 1;
                case CATCH_UP -> Math.min(term.settings.catchUpLimit(), late.size());
            };
            late.subList(0, late.size() - keep).forEach(run -> cancelMissed(run, policy));
            fire.addAll(late.subList(late.size() - keep, late.size()));
            term.load.missed(late.size() - keep);
        });
        return fire;
    }

    /** Records runs made on the engine thread (missed fires, children) off it, then launches them. */
    void record(List<NewRun> runs, String what) {
        if (runs.isEmpty()) {
            return;
        }
        term.io(() -> term.parts.runs().insertAll(runs), inserted -> {
            if (!inserted.isEmpty()) {
                log.info("Recorded {} {}", inserted.size(), what);
            }
            start(inserted);
        }, error -> {
            log.warn("Could not record {} {} now ({}); trying again", runs.size(), what, DatabaseFailures.rootMessage(error));
            term.later(EngineTerm.DB_RETRY, () -> record(runs, what));
        });
    }

    // ---------------------------------------------------------------- job changes

    /** Many job changes in a row (an import, a script) cost one reload. */
    void reloadSoon() {
        if (!reloadQueued) {
            reloadQueued = true;
            term.later(Duration.ofMillis(100), () -> {
                reloadQueued = false;
                reload();
            });
        }
    }

    /** Reads the scheduled jobs again: new and changed ones start after their misfire policy; dropped ones stop firing. */
    private void reload() {
        if (reloading) {
            reloadSoon();
            return;
        }
        reloading = true;
        Map<Long, JobDefinition> known = new HashMap<>();
        term.jobs.ids().forEach(id -> term.planner.scheduledJob(id).ifPresent(job -> known.put(id, job)));
        term.io(() -> {
            List<JobDefinition> scheduled = term.parts.jobs().listScheduled();
            List<Long> needLast = scheduled.stream().filter(job -> !job.equals(known.get(job.id()))).map(JobDefinition::id).toList();
            return new FirePlanner.JobsRead(scheduled, needLast.isEmpty() ? Map.of() : term.parts.runs().lastScheduledFires(needLast));
        }, read -> {
            reloading = false;
            term.jobs.reloaded(read.scheduled());
            FirePlanner.Reload reload = term.planner.apply(read, term.now());
            reload.dropped().forEach(jobId -> cancelFutureFires(jobId, "job disabled or deleted before this fire"));
            record(reload.missed(), "missed fire(s) the jobs' misfire policies fire now");
        }, error -> {
            reloading = false;
            reloadSoon();
        });
    }

    private void cancelFutureFires(long jobId, String why) {
        for (JobRun run : term.runs.scheduledOf(jobId)) {
            term.timer.remove(run.id());
            term.runs.finishScheduled(run.id());
            term.completion.recordFinal(run.id(), RunStatus.CANCELLED, run.attempt(), null, why);
        }
    }
}
