package io.tessera.admin.store.mybatis;

import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;

import java.time.Instant;

/** One row of {@code job_run}. */
public class RunRow {
    public Long id;
    public long jobId;
    public String triggerKind;
    public Instant scheduledAt;
    public String idempotencyKey;
    public String status;
    public String params;
    public int shardTotal;
    public int attempt;
    public Instant createdAt;
    public Instant startedAt;
    public Instant finishedAt;
    public String message;
    /** The parent run of a CHILD run; 0 for every other run. */
    public long parentRunId;

    static RunRow of(JobRun run, String idempotencyKey, Long parentRunId, Instant now) {
        RunRow row = new RunRow();
        row.jobId = run.jobId();
        row.triggerKind = run.trigger().name();
        row.scheduledAt = UtcInstantTypeHandler.stored(run.scheduledAt());
        row.idempotencyKey = idempotencyKey;
        row.status = run.status().name();
        row.params = run.params();
        row.shardTotal = run.shardTotal();
        row.attempt = run.attempt();
        row.createdAt = UtcInstantTypeHandler.stored(run.createdAt() == null ? now : run.createdAt());
        row.startedAt = UtcInstantTypeHandler.stored(run.startedAt());
        row.finishedAt = UtcInstantTypeHandler.stored(run.finishedAt());
        row.message = Texts.clip(run.message());
        row.parentRunId = parentRunId == null ? 0 : parentRunId;
        return row;
    }

    /** The run's unique fire key, as the database compares it. */
    FireKey fireKey() {
        return new FireKey(jobId, scheduledAt, triggerKind, parentRunId);
    }

    JobRun toRun() {
        return new JobRun(id, jobId, TriggerKind.valueOf(triggerKind), scheduledAt, RunStatus.valueOf(status), params,
                shardTotal, attempt, createdAt, startedAt, finishedAt, message);
    }

    record FireKey(long jobId, Instant scheduledAt, String triggerKind, long parentRunId) {
    }

    record IdempotencyKey(long jobId, String key) {
    }
}
