package io.tessera.admin.engine;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A run the leader is driving, with the live state of each shard. Confined to the engine thread. */
final class ActiveRun {

    final JobRun run;
    final JobDefinition job;
    final Shard[] shards;
    int attempt;
    /** The run's status as last recorded. */
    RunStatus status;
    boolean cancelled;
    /** A gang waiting for its remaining ranks to stop before it restarts whole. */
    boolean gangRestarting;
    String failure;
    Instant waitingSince;
    String waitReason;
    String masterHost;
    int masterPort = -1;

    ActiveRun(JobRun run, JobDefinition job, List<ShardRun> rows) {
        this.run = run;
        this.job = job;
        this.attempt = Math.max(1, run.attempt());
        this.status = run.status();
        int total = Math.max(run.shardTotal(), rows.stream().mapToInt(row -> row.shardIndex() + 1).max().orElse(0));
        this.shards = new Shard[total];
        for (int i = 0; i < total; i++) {
            shards[i] = new Shard(i);
        }
        for (ShardRun row : rows) {
            Shard shard = shards[row.shardIndex()];
            shard.status = row.status();
            shard.executorId = row.executorId();
            shard.attempt = Math.max(1, row.attempt());
            shard.devices = row.devices();
            shard.startedAt = row.startedAt();
            shard.finishedAt = row.finishedAt();
            shard.exitCode = row.exitCode();
            shard.message = row.message();
        }
    }

    long id() {
        return run.id();
    }

    List<Integer> shardsIn(RunStatus status) {
        List<Integer> indices = new ArrayList<>();
        for (Shard shard : shards) {
            if (shard.status == status) {
                indices.add(shard.index);
            }
        }
        return indices;
    }

    boolean allTerminal() {
        for (Shard shard : shards) {
            if (!shard.status.isTerminal()) {
                return false;
            }
        }
        return true;
    }

    boolean anyRunning() {
        for (Shard shard : shards) {
            if (shard.status == RunStatus.RUNNING) {
                return true;
            }
        }
        return false;
    }

    /** The run's final status once every shard is terminal. */
    RunStatus outcome() {
        if (cancelled) {
            return RunStatus.CANCELLED;
        }
        boolean timedOut = false;
        for (Shard shard : shards) {
            if (shard.status == RunStatus.FAILED) {
                return RunStatus.FAILED;
            }
            timedOut |= shard.status == RunStatus.TIMED_OUT;
            if (shard.status == RunStatus.CANCELLED) {
                return RunStatus.FAILED;
            }
        }
        return timedOut ? RunStatus.TIMED_OUT : RunStatus.SUCCEEDED;
    }

    /** One shard's live state. */
    static final class Shard {
        final int index;
        RunStatus status = RunStatus.PENDING;
        String executorId;
        String address;
        int attempt = 1;
        List<DeviceId> devices = List.of();
        Instant startedAt;
        Instant finishedAt;
        Instant dispatchedAt;
        Integer exitCode;
        String message;
        /** Devices are held in the ledger for this shard. */
        boolean holding;
        /** Executors that refused this shard lately; placement avoids them. */
        final List<String> refusedBy = new ArrayList<>();

        Shard(int index) {
            this.index = index;
        }

        ShardRun row(long runId) {
            return new ShardRun(runId, index, status, executorId, attempt, devices, startedAt, finishedAt, exitCode, message);
        }
    }
}
