package io.tessera.core.model;

import java.time.Instant;

/**
 * One fire of a job. Unique per (job, scheduled time, trigger kind): a fire is recorded once,
 * whichever admin records it.
 *
 * @param id          database id, null before stored
 * @param scheduledAt the fire time this run is for (for manual and API triggers, when it was asked for)
 * @param params      the params this run runs with (the job's, or a trigger's override)
 * @param attempt     1 for the first placement; a gang that is re-placed whole counts up
 */
public record JobRun(Long id, long jobId, TriggerKind trigger, Instant scheduledAt, RunStatus status, String params,
                     int shardTotal, int attempt, Instant createdAt, Instant startedAt, Instant finishedAt,
                     String message) {

    public JobRun {
        if (trigger == null || scheduledAt == null || status == null) {
            throw new IllegalArgumentException("trigger, scheduledAt and status are required");
        }
        if (shardTotal < 0) {
            throw new IllegalArgumentException("shardTotal must not be negative, was " + shardTotal);
        }
        params = params == null ? "" : params;
    }

    public JobRun withStatus(RunStatus newStatus) {
        return new JobRun(id, jobId, trigger, scheduledAt, newStatus, params, shardTotal, attempt, createdAt,
                startedAt, finishedAt, message);
    }
}
