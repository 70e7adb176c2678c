package io.tessera.admin.engine;

import io.tessera.admin.fire.FirePlanner;
import io.tessera.admin.record.ResultRecorder;
import io.tessera.admin.store.RunChange;
import io.tessera.admin.store.RunStore.NewRun;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.wire.ShardResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The end of shards and runs: results, lost shards, retries, gang restarts, cancels, finished
 * runs and their child jobs. A finished run's ZooKeeper nodes are handed to the janitor only once
 * the database holds its final status. Confined to the engine thread.
 */
final class Completion {

    private static final Logger log = LoggerFactory.getLogger(Completion.class);

    /** How an agent's result for a preempted shard begins. */
    static final String PREEMPTED = "preempted: ";

    private final EngineTerm term;

    Completion(EngineTerm term) {
        this.term = term;
    }

    // ---------------------------------------------------------------- results

    /**
     * Shards finished (reported, or read from their attempt nodes).
     *
     * @param store whether this admin must still record them (reports over HTTP are recorded on receipt)
     */
    void applyResults(List<ShardResult> results, boolean store) {
        for (ShardResult result : results) {
            if (store) {
                term.writer.write(new RunChange.ShardResult(ResultRecorder.row(result)));
            } else {
                term.writer.resultStored(result.runId(), result.shardIndex(), result.attempt());
            }
            ActiveRun run = term.runs.active(result.runId());
            if (run == null || result.shardIndex() >= run.shards.length) {
                continue;
            }
            ActiveRun.Shard shard = run.shards[result.shardIndex()];
            String preemption = shard.preemption;
            if (result.attempt() != shard.attempt || !shard.on(ShardState.resultOf(result.status()))) {
                continue;
            }
            term.dispatching.release(shard);
            boolean preempted = result.status() != RunStatus.SUCCEEDED
                    && (preemption != null || result.message() != null && result.message().startsWith(PREEMPTED));
            if (shard.attempt == 1 && result.startedAt() != null && FirePlanner.isScheduledKind(run.run.trigger())) {
                term.load.handlerStarted(run.run.scheduledAt(), result.startedAt());
            }
            shard.exitCode = result.exitCode();
            shard.message = preempted ? preemptedMessage(preemption, result.message())
                    : result.status() == RunStatus.CANCELLED && !run.cancelled && !run.gangRestarting
                    ? replaced(run, result) : result.message();
            shard.startedAt = result.startedAt();
            shard.finishedAt = result.finishedAt();
            if (!result.executorId().equals(shard.executorId)) {
                shard.executorId = result.executorId();
            }
            afterShardEnded(run, shard, false, preempted);
        }
    }

    private static String preemptedMessage(String preemption, String reported) {
        if (preemption != null) {
            return PREEMPTED + preemption;
        }
        return reported;
    }

    /**
     * Why an executor stopped a shard nobody here asked to stop: a newer run of the same job replaced
     * it there (block strategy REPLACE_OLD).
     */
    private String replaced(ActiveRun run, ShardResult result) {
        return term.runs.active().stream()
                .filter(other -> other.job.id() == run.job.id() && other.id() > run.id() && other.holds(result.executorId()))
                .map(other -> "replaced by run " + other.id() + " on executor " + result.executorId())
                .findFirst()
                .orElse("stopped on executor " + result.executorId() + ": " + result.message());
    }

    /** Ends a shard here (discarded, refused for good, cancelled while pending). */
    void finishShard(ActiveRun run, ActiveRun.Shard shard, RunStatus status, Integer exitCode, String message) {
        term.dispatching.release(shard);
        if (!shard.on(ShardState.resultOf(status))) {
            return;
        }
        shard.exitCode = exitCode;
        shard.message = message;
        shard.finishedAt = term.now();
        term.writer.write(new RunChange.ShardUpdate(shard.row(run.id())));
        afterShardEnded(run, shard, false, false);
    }

    /** The shard's attempt ended without a result: its executor died, re-registered, or gave the claim back. */
    void lost(ActiveRun run, ActiveRun.Shard shard, String why) {
        log.warn("Run {} shard {} (attempt {}) lost: {}", run.id(), shard.index, shard.attempt, why);
        term.dispatching.release(shard);
        shard.refusedBy.add(shard.executorId);
        shard.message = why;
        shard.finishedAt = term.now();
        if (run.cancelled || run.gangRestarting) {
            shard.on(ShardState.Event.ABANDONED);
        } else {
            shard.on(ShardState.Event.LOST);
        }
        term.writer.write(new RunChange.ShardUpdate(shard.row(run.id())));
        afterShardEnded(run, shard, true, false);
    }

    /**
     * @param lost      the attempt ended without a result: its retry goes at once, without a backoff
     * @param preempted the attempt was stopped to make room: it goes back to the queue at once, and uses no retry
     */
    private void afterShardEnded(ActiveRun run, ActiveRun.Shard shard, boolean lost, boolean preempted) {
        if (run.cancelled) {
            maybeFinish(run);
            return;
        }
        if (run.gangRestarting) {
            maybeRestartGang(run);
            return;
        }
        if (preempted) {
            if (run.job.gang() && run.shards.length > 1) {
                startGangRestart(run, "rank " + shard.index + " " + shard.message, true);
                return;
            }
            shard.preemptions++;
            log.info("Run {} shard {}: attempt {} {}; it waits for room again", run.id(), shard.index, shard.attempt,
                    shard.message);
            retry(run, shard, true, true);
            return;
        }
        if (shard.state == ShardState.CANCELLED) {
            // Stopped on purpose (replaced by a newer run, or discarded, by the job's block strategy): never retried,
            // or the runs would take turns replacing each other. A gang cannot go on without the rank.
            if (run.job.gang() && run.shards.length > 1) {
                cancel(run.id(), "rank " + shard.index + " " + shard.message);
                return;
            }
            maybeFinish(run);
            return;
        }
        if (shard.state != ShardState.SUCCEEDED) {
            if (run.job.gang() && run.shards.length > 1) {
                startGangRestart(run, "rank " + shard.index + " " + shard.state.stored() + ": " + shard.message, false);
                return;
            }
            if (shard.attempt - shard.preemptions <= run.job.maxRetries()) {
                retry(run, shard, lost, false);
                return;
            }
        }
        maybeFinish(run);
    }

    /**
     * Runs a shard again as its next attempt: a lost one at once, a failed one after a backoff that
     * doubles with every attempt. The next attempt has its own node, so nothing of the last one needs
     * removing first, and a leader change during the backoff cannot leave anything in its way.
     */
    private void retry(ActiveRun run, ActiveRun.Shard shard, boolean now, boolean preempted) {
        int attempt = shard.attempt;
        long backoff = now ? 0 : Math.min(60_000, term.settings.retryBackoff().toMillis() << Math.min(16, attempt - 1));
        String why = shard.message;
        shard.on(ShardState.Event.RETRIED);
        shard.attempt = attempt + 1;
        shard.executorId = null;
        shard.address = null;
        shard.registration = null;
        shard.devices = List.of();
        shard.message = "attempt " + attempt + " ended: " + why;
        term.writer.write(new RunChange.ShardUpdate(shard.row(run.id())));
        log.info("Run {} shard {}: attempt {} ended ({}); attempt {} in {} ms", run.id(), shard.index, attempt, why,
                attempt + 1, backoff);
        if (preempted) {
            term.dispatching.requeue(run);
        } else {
            term.later(Duration.ofMillis(backoff), () -> term.dispatching.place(List.of(run)));
        }
    }

    /**
     * Takes over preemptions a previous leader started: shards whose preempted attempt ended but were
     * not re-queued go back to the queue (a gang restarts whole), without using a retry; a gang whose
     * ranks are still being stopped restarts once they have.
     */
    void takeOverPreemptions(ActiveRun run, List<ActiveRun.Shard> ended) {
        boolean gang = run.job.gang() && run.shards.length > 1;
        boolean stopping = java.util.Arrays.stream(run.shards).anyMatch(shard -> shard.preemption != null);
        if (gang && (stopping || !ended.isEmpty())) {
            ActiveRun.Shard first = ended.isEmpty()
                    ? java.util.Arrays.stream(run.shards).filter(shard -> shard.preemption != null).findFirst().orElseThrow()
                    : ended.get(0);
            String why = first.preemption != null ? PREEMPTED + first.preemption : first.message;
            log.info("Gang run {} of job {} was being preempted when this leader took over; it restarts whole once its ranks"
                    + " stopped", run.id(), run.job.name());
            run.gangRestarting = true;
            run.restartPreempted = true;
            run.failure = "rank " + first.index + " " + why;
            maybeRestartGang(run);
            return;
        }
        for (ActiveRun.Shard shard : ended) {
            shard.preemptions++;
            log.info("Run {} shard {}: attempt {} was preempted before this leader took over; it waits for room again", run.id(),
                    shard.index, shard.attempt);
            retry(run, shard, true, true);
        }
    }

    /**
     * A rank of a gang ended badly, or was preempted: stop the others, then restart the whole gang as a
     * new attempt (one that uses no retry when it was preempted).
     */
    private void startGangRestart(ActiveRun run, String reason, boolean preempted) {
        if (!run.gangRestarting) {
            run.gangRestarting = true;
            run.restartPreempted = preempted;
            run.failure = reason;
            log.warn("Gang run {} of job {} lost {}; stopping the other ranks", run.id(), run.job.name(), reason);
            for (ActiveRun.Shard other : run.shards) {
                if (other.state == ShardState.DISPATCHED || other.state == ShardState.RUNNING) {
                    term.dispatching.kill(other, run.id(), "gang restart: " + reason);
                } else if (other.on(ShardState.Event.ABANDONED)) {
                    other.message = "gang restart: " + reason;
                }
            }
            term.runs.stopWaiting(run.id());
        }
        maybeRestartGang(run);
    }

    private void maybeRestartGang(ActiveRun run) {
        if (run.anyOut()) {
            return;
        }
        term.dispatching.releaseRendezvous(run);
        boolean preempted = run.restartPreempted;
        if (preempted) {
            run.preemptions++;
            run.restartPreempted = false;
        }
        if (run.attempt - run.preemptions > run.job.maxRetries()) {
            run.gangRestarting = false;
            finishRun(run, RunStatus.FAILED, "gang failed on attempt " + run.attempt + ": " + run.failure);
            return;
        }
        int next = run.attempt + 1;
        run.attempt = next;
        run.gangRestarting = false;
        List<RunChange> changes = new ArrayList<>();
        for (ActiveRun.Shard shard : run.shards) {
            shard.on(ShardState.Event.GANG_RESTARTED);
            shard.attempt = next;
            shard.executorId = null;
            shard.address = null;
            shard.registration = null;
            shard.devices = List.of();
            shard.exitCode = null;
            shard.finishedAt = null;
            shard.message = "gang restarted as attempt " + next + " after " + run.failure;
            changes.add(new RunChange.ShardUpdate(shard.row(run.id())));
        }
        changes.add(new RunChange.RunUpdate(run.id(), RunStatus.RUNNING, next, run.startedAt == null ? term.now() : run.startedAt,
                null, "attempt " + next + " after " + run.failure));
        term.writer.write(changes);
        log.info("Gang run {} of job {} restarts whole as attempt {}", run.id(), run.job.name(), next);
        if (preempted) {
            term.dispatching.requeue(run);
        } else {
            term.dispatching.place(List.of(run));
        }
    }

    void maybeFinish(ActiveRun run) {
        if (run.allTerminal()) {
            finishRun(run, run.outcome(), summary(run));
        }
    }

    /** A waiting run passed its job's wait limit: its pending shards fail, and so does the run. */
    void waitedTooLong(ActiveRun run, String why) {
        Instant now = term.now();
        List<RunChange> changes = new ArrayList<>();
        for (ActiveRun.Shard shard : run.shards) {
            if (shard.state == ShardState.PENDING && shard.on(ShardState.Event.FAILED)) {
                shard.message = why;
                shard.finishedAt = now;
                changes.add(new RunChange.ShardUpdate(shard.row(run.id())));
            }
        }
        term.writer.write(changes);
        maybeFinish(run);
    }

    private static String summary(ActiveRun run) {
        Map<RunStatus, Long> counts = Arrays.stream(run.shards)
                .collect(Collectors.groupingBy(shard -> shard.state.stored(), TreeMap::new, Collectors.counting()));
        StringBuilder text = new StringBuilder();
        counts.forEach((status, count) -> text.append(text.isEmpty() ? "" : ", ").append(count).append(' ').append(status));
        for (ActiveRun.Shard shard : run.shards) {
            if (shard.state != ShardState.SUCCEEDED && shard.message != null && !shard.message.isBlank()) {
                text.append("; shard ").append(shard.index).append(": ").append(shard.message);
                break;
            }
        }
        return text.toString();
    }

    void finishRun(ActiveRun run, RunStatus status, String message) {
        term.runs.finish(run);
        term.dispatching.releaseRendezvous(run);
        for (ActiveRun.Shard shard : run.shards) {
            term.dispatching.release(shard);
        }
        log.debug("Run {} of job {} {} ({})", run.id(), run.job.name(), status, message);
        RunChange.RunUpdate last = new RunChange.RunUpdate(run.id(), status, run.attempt, run.startedAt, term.now(), message);
        if (status == RunStatus.SUCCEEDED && !run.job.childJobIds().isEmpty()) {
            finishWithChildren(run, last, attemptNodes(run));
        } else {
            List<String> nodes = attemptNodes(run);
            term.writer.write(last, () -> term.janitor.finished(run.id(), nodes));
        }
    }

    /** Stores a run's final status; once stored, its ZooKeeper nodes are left to the janitor. */
    void recordFinal(long runId, RunStatus status, int attempt, Instant startedAt, String message) {
        recordFinal(runId, status, attempt, startedAt, message, null);
    }

    private void recordFinal(long runId, RunStatus status, int attempt, Instant startedAt, String message, List<String> nodes) {
        term.writer.write(new RunChange.RunUpdate(runId, status, attempt, startedAt, term.now(), message),
                () -> term.janitor.finished(runId, nodes));
    }

    /**
     * The attempt nodes a finished run left, when they are sure: every shard ran one attempt, which
     * ended with a result. Otherwise null, and the janitor lists them.
     */
    private static List<String> attemptNodes(ActiveRun run) {
        List<String> nodes = new ArrayList<>(run.shards.length);
        for (ActiveRun.Shard shard : run.shards) {
            if (shard.attempt != 1 || shard.state == ShardState.CANCELLED && shard.executorId == null) {
                return null;
            }
            nodes.add(io.tessera.core.zk.ZkLayout.attemptName(shard.index, 1));
        }
        return nodes;
    }

    /**
     * Stores a succeeded parent's final status together with its child runs, in one transaction: a
     * database that fails at that moment keeps both unwritten (the writer retries them, and a new
     * leader that finds the parent still open finishes it again), never the parent alone. Child jobs
     * this term has not read yet are read first.
     */
    private void finishWithChildren(ActiveRun parent, RunChange.RunUpdate last, List<String> nodes) {
        List<Long> unread = parent.job.childJobIds().stream().filter(id -> term.jobs.find(id).isEmpty()).toList();
        if (unread.isEmpty()) {
            writeWithChildren(parent, last, nodes);
            return;
        }
        term.io(() -> {
            List<JobDefinition> found = new ArrayList<>();
            for (long id : unread) {
                term.parts.jobs().find(id).ifPresent(found::add);
            }
            return found;
        }, found -> {
            found.forEach(term.jobs::put);
            writeWithChildren(parent, last, nodes);
        }, error -> {
            log.warn("Cannot read the child jobs of run {} now ({}); its final status waits for them",
                    parent.id(), DatabaseFailures.rootMessage(error));
            term.later(EngineTerm.DB_RETRY, () -> finishWithChildren(parent, last, nodes));
        });
    }

    private void writeWithChildren(ActiveRun parent, RunChange.RunUpdate last, List<String> nodes) {
        List<NewRun> children = new ArrayList<>();
        for (Long childId : parent.job.childJobIds()) {
            Optional<JobDefinition> child = term.jobs.find(childId);
            if (child.isEmpty()) {
                log.warn("Job {} names child job {}, which does not exist", parent.job.name(), childId);
                continue;
            }
            // Keyed by the parent run, so a child fires once per parent run, whoever finishes it and however often.
            children.add(new NewRun(term.planner.runFor(child.get(), parent.run.scheduledAt(), TriggerKind.CHILD,
                    child.get().params(), term.now()), null, parent.id()));
        }
        term.writer.writeTogether(List.of(last, new RunChange.ChildRuns(parent.id(), children)), () -> {
            term.janitor.finished(parent.id(), nodes);
            // The children are open runs this term does not drive yet: reconciliation adopts and starts them.
            term.post(term.reconciliation::reconcileSoon);
        });
    }

    // ---------------------------------------------------------------- cancel

    boolean cancel(long runId, String reason) {
        io.tessera.core.model.JobRun pending = term.runs.unschedule(runId);
        if (pending != null) {
            term.timer.remove(runId);
            term.runs.finishScheduled(runId);
            recordFinal(runId, RunStatus.CANCELLED, pending.attempt(), null, reason);
            return true;
        }
        ActiveRun run = term.runs.active(runId);
        if (run == null) {
            return false;
        }
        run.cancelled = true;
        term.runs.stopWaiting(runId);
        List<RunChange> changes = new ArrayList<>();
        for (ActiveRun.Shard shard : run.shards) {
            if (shard.state == ShardState.DISPATCHED || shard.state == ShardState.RUNNING) {
                term.dispatching.kill(shard, runId, reason);
            } else if (shard.on(ShardState.Event.ABANDONED)) {
                shard.message = reason;
                shard.finishedAt = term.now();
                changes.add(new RunChange.ShardUpdate(shard.row(runId)));
            }
        }
        term.writer.write(changes);
        maybeFinish(run);
        return true;
    }
}
