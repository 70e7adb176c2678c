package io.tessera.admin.engine;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.admin.store.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares memory with the database and ZooKeeper: takes over open runs (at the start of a term,
 * and runs other admins recorded), follows cancels made elsewhere, looks up shards whose trigger
 * or claim went quiet, and reacts to executors leaving. Reads only open runs; finished runs are
 * never read again. Confined to the engine thread; reads happen on the term's I/O thread.
 */
final class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    private final EngineTerm term;
    private boolean queued;
    private boolean reading;
    /** The runs driven at the last reconciliation: only those can have been cancelled elsewhere unseen since. */
    private Set<Long> drivenBefore = Set.of();

    Reconciliation(EngineTerm term) {
        this.term = term;
    }

    /**
     * Takes over open runs this term does not know yet.
     *
     * @param neverSent at the start of a term, the recorded scheduled fires that were already past the misfire
     *                  threshold when the take-over read them and had no attempt nodes: never sent, so they are
     *                  returned, per job, for the misfire policy, not started; null after the start of a term.
     *                  Lateness is not judged again here: a run that crossed the threshold since that read was
     *                  never checked in ZooKeeper and may be running.
     */
    Map<Long, List<JobRun>> adopt(List<JobRun> open, Map<Long, List<ShardRun>> shards,
                                  Map<Long, List<io.tessera.admin.store.RunChange.Preempted>> preempted, Set<Long> neverSent) {
        Map<Long, List<JobRun>> missed = new HashMap<>();
        for (JobRun run : open) {
            if (term.runs.knows(run.id())) {
                continue;
            }
            if (neverSent != null && run.status() == RunStatus.PENDING && neverSent.contains(run.id())) {
                missed.computeIfAbsent(run.jobId(), id -> new ArrayList<>()).add(run);
            } else {
                adopt(run, shards.getOrDefault(run.id(), List.of()), preempted.getOrDefault(run.id(), List.of()));
            }
        }
        return missed;
    }

    private void adopt(JobRun run, List<ShardRun> rows, List<io.tessera.admin.store.RunChange.Preempted> preempted) {
        Optional<JobDefinition> job = term.jobs.find(run.jobId());
        if (job.isEmpty()) {
            term.runs.finishScheduled(run.id());
            term.completion.recordFinal(run.id(), RunStatus.FAILED, run.attempt(), run.startedAt(), "the job was deleted");
            return;
        }
        log.info("Taking over run {} of job {} ({}, due {})", run.id(), job.get().name(), run.status(), run.scheduledAt());
        if (run.status() == RunStatus.PENDING) {
            term.planning.adopt(run);
            return;
        }
        ActiveRun active = new ActiveRun(run, job.get(), rows);
        if (!term.runs.activate(active)) {
            return;
        }
        List<ActiveRun.Shard> preemptedEnded = active.countPreemptions(preempted);
        if (!preemptedEnded.isEmpty()) {
            term.completion.takeOverPreemptions(active, preemptedEnded);
        }
        if (active.allTerminal()) {
            // Every shard's result was recorded (by any admin) but the run was not closed: close it now.
            term.completion.maybeFinish(active);
            return;
        }
        for (ActiveRun.Shard shard : active.shards) {
            if (shard.state == ShardState.RUNNING && shard.executorId != null) {
                Optional<ExecutorCard> card = term.parts.directory().byId(shard.executorId);
                if (card.isPresent()) {
                    shard.address = card.get().address();
                    shard.registration = term.parts.directory().registration(shard.executorId).orElse(null);
                    term.placer.ledger().hold(shard.executorId, shard.devices);
                    shard.holding = true;
                    term.quotas.hold(active, shard);
                    if (shard.preemption != null) {
                        // The previous leader may have died before its stop reached the executor; a second one changes nothing.
                        term.dispatching.preempt(shard, active.id(), shard.preemption, active.job.preemptionGraceSeconds());
                    }
                }
                // Looked up at the next reconciliation: its result, its claim, or neither (lost).
                shard.dispatchedAt = Instant.EPOCH;
            }
        }
        if (preemptedEnded.isEmpty() && active.beingPreempted()) {
            term.completion.takeOverPreemptions(active, List.of());
        }
        if (!active.gangRestarting && !active.shardsIn(ShardState.PENDING).isEmpty()) {
            active.waitingSince = run.createdAt() == null ? term.now() : run.createdAt();
            term.runs.waitForRoom(active);
        }
        reconcileSoon();
    }

    void reconcileSoon() {
        if (!queued) {
            queued = true;
            term.later(Duration.ofMillis(100), () -> {
                queued = false;
                reconcile();
            });
        }
    }

    /** What one reconciliation read. */
    private record Read(List<JobRun> unknown, Map<Long, List<ShardRun>> shards,
                        Map<Long, List<io.tessera.admin.store.RunChange.Preempted>> preempted, Set<Long> cancelled,
                        Map<Long, JobDefinition> jobs) {
    }

    void reconcile() {
        if (reading) {
            reconcileSoon();
            return;
        }
        reading = true;
        Set<Long> driven = term.runs.knownIds();
        Set<Long> knownJobs = term.jobs.ids();
        // A run that finished a moment ago may be closed in the database already: asking about runs that were
        // driven a whole interval ago too keeps that question to the few that could have been cancelled elsewhere.
        Set<Long> activeNow = new java.util.HashSet<>();
        term.runs.active().forEach(run -> activeNow.add(run.id()));
        Set<Long> previously = drivenBefore;
        List<Long> active = activeNow.stream().filter(previously::contains).toList();
        drivenBefore = activeNow;
        term.io(() -> read(driven, active, knownJobs), read -> {
            reading = false;
            apply(read);
        }, error -> reading = false);
    }

    private Read read(Set<Long> driven, List<Long> active, Set<Long> knownJobs) {
        RunStore runs = term.parts.runs();
        List<JobRun> open = runs.listOpen();
        Set<Long> openIds = new HashSet<>();
        List<JobRun> unknown = new ArrayList<>();
        for (JobRun run : open) {
            openIds.add(run.id());
            if (!driven.contains(run.id())) {
                unknown.add(run);
            }
        }
        List<Long> started = unknown.stream()
                .filter(run -> run.status() == RunStatus.WAITING || run.status() == RunStatus.RUNNING)
                .map(JobRun::id).toList();
        Map<Long, List<ShardRun>> shards = started.isEmpty() ? Map.of() : runs.shardsOf(started);
        Map<Long, List<io.tessera.admin.store.RunChange.Preempted>> preempted = runs.preemptionsOf(started);
        List<Long> closedElsewhere = active.stream().filter(id -> !openIds.contains(id)).toList();
        Set<Long> cancelled = new HashSet<>();
        if (!closedElsewhere.isEmpty()) {
            runs.states(closedElsewhere).forEach((id, state) -> {
                if (state.status() == RunStatus.CANCELLED) {
                    cancelled.add(id);
                }
            });
        }
        Map<Long, JobDefinition> jobs = new HashMap<>();
        for (JobRun run : unknown) {
            if (!knownJobs.contains(run.jobId()) && !jobs.containsKey(run.jobId())) {
                term.parts.jobs().find(run.jobId()).ifPresent(job -> jobs.put(job.id(), job));
            }
        }
        return new Read(unknown, shards, preempted, cancelled, jobs);
    }

    private void apply(Read read) {
        term.healthy();
        read.jobs().values().forEach(term.jobs::put);
        adopt(read.unknown(), read.shards(), read.preempted(), null);
        for (long runId : read.cancelled()) {
            term.completion.cancel(runId, "cancelled on another admin");
        }
        Instant quietSince = term.now().minus(term.dispatching.unanswered());
        for (ActiveRun run : term.runs.active()) {
            for (ActiveRun.Shard shard : run.shards) {
                boolean out = shard.state == ShardState.DISPATCHED || shard.state == ShardState.RUNNING;
                if (out && (shard.dispatchedAt == null || shard.dispatchedAt.isBefore(quietSince))) {
                    term.dispatching.lookUp(run, shard, "checked by reconciliation");
                }
            }
        }
    }

    /** An executor's session ended: its claims are gone with it. Shards with a result keep it; the rest are lost. */
    void executorLeft(ExecutorCard card) {
        for (ActiveRun run : term.runs.active()) {
            for (ActiveRun.Shard shard : run.shards) {
                boolean out = shard.state == ShardState.DISPATCHED || shard.state == ShardState.RUNNING;
                if (out && card.id().equals(shard.executorId)) {
                    term.dispatching.lookUp(run, shard, "executor " + card.id() + " left");
                }
            }
        }
        term.placer.ledger().forget(card.id());
    }

    void executorJoined(ExecutorCard card) {
        term.dispatching.probe(card);
        term.dispatching.drainSoon();
    }
}
