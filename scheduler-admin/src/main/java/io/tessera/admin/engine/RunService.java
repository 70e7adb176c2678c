package io.tessera.admin.engine;

import io.tessera.admin.cluster.ClusterSignals;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Manual and API triggers and cancels, on any admin. A trigger is recorded in the database first;
 * the leader fires it (at once when this admin leads, else on the signal or its next reconciliation).
 */
public final class RunService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RunService.class);

    private static final int MAX_SAME_INSTANT_RETRIES = 1_000;

    private final JobStore jobs;
    private final RunStore runs;
    private final SchedulingEngine engine;
    private final ClusterSignals signals;
    private final io.tessera.admin.cluster.ExecutorDirectory directory;
    private final Clock clock;

    public RunService(JobStore jobs, RunStore runs, SchedulingEngine engine, ClusterSignals signals,
                      io.tessera.admin.cluster.ExecutorDirectory directory, Clock clock) {
        this.jobs = jobs;
        this.runs = runs;
        this.engine = engine;
        this.signals = signals;
        this.directory = directory;
        this.clock = clock;
    }

    /** The job does not exist. */
    public static final class UnknownJobException extends RuntimeException {
        public UnknownJobException(long jobId) {
            super("job " + jobId + " does not exist");
        }
    }

    /**
     * Records a trigger. With an idempotency key, the same key for the same job returns the run the
     * first call recorded instead of firing again.
     *
     * @param params null for the job's own params
     */
    public JobRun trigger(long jobId, String params, String idempotencyKey, TriggerKind kind) {
        JobDefinition job = jobs.find(jobId).orElseThrow(() -> new UnknownJobException(jobId));
        if (idempotencyKey != null) {
            Optional<JobRun> existing = runs.findByIdempotencyKey(jobId, idempotencyKey);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        int shardTotal = job.routing() == RoutingStrategy.SHARDING_BROADCAST
                ? Math.max(1, directory.group(job.group()).size()) : job.shardCount();
        for (int tries = 0; tries < MAX_SAME_INSTANT_RETRIES; tries++) {
            JobRun run = new JobRun(null, jobId, kind, at, RunStatus.PENDING, params == null ? job.params() : params,
                    shardTotal, 1, clock.instant(), null, null, "");
            List<JobRun> inserted = runs.insertAll(List.of(new RunStore.NewRun(run, idempotencyKey)));
            if (!inserted.isEmpty()) {
                JobRun recorded = inserted.get(0);
                if (engine.isLeading()) {
                    engine.launch(recorded);
                } else {
                    signals.runsChanged();
                }
                return recorded;
            }
            if (idempotencyKey != null) {
                Optional<JobRun> existing = runs.findByIdempotencyKey(jobId, idempotencyKey);
                if (existing.isPresent()) {
                    return existing.get();
                }
            }
            // Another trigger of this job took the same millisecond: take the next one.
            at = at.plusMillis(1);
        }
        throw new IllegalStateException("could not record a trigger of job " + jobId + ": too many at the same instant");
    }

    /** Cancels an open run; false when it is unknown or already finished. */
    public boolean cancel(long runId, String reason) {
        Optional<JobRun> run = runs.find(runId);
        if (run.isEmpty() || run.get().status().isTerminal()) {
            return false;
        }
        if (engine.isLeading()) {
            try {
                if (engine.cancel(runId, reason).get(10, TimeUnit.SECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while cancelling run " + runId, e);
            } catch (CancellationException | ExecutionException | TimeoutException e) {
                // Leadership is moving (the term ended before it answered) or the engine is stuck: the cancel is
                // recorded in the database below, and whichever term drives the run next honours it.
                log.info("The engine did not take the cancel of run {} ({}); recording it in the database", runId,
                        e instanceof CancellationException ? "its term ended" : e.toString());
            }
        }
        runs.updateRun(runId, RunStatus.CANCELLED, run.get().attempt(), run.get().startedAt(), clock.instant(), reason);
        signals.runsChanged();
        return true;
    }
}
