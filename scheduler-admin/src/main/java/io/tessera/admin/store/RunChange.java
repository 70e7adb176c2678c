package io.tessera.admin.store;

import java.util.List;

import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;

import java.time.Instant;

/** One change the engine makes to a run or a shard; {@link RunStore#apply} writes many in one transaction. */
public sealed interface RunChange {

    /**
     * A run's status. A null {@code startedAt} keeps the stored one; a finished run is never set back
     * to an open status.
     */
    record RunUpdate(long runId, RunStatus status, int attempt, Instant startedAt, Instant finishedAt, String message)
            implements RunChange {
    }

    /** A shard's placement or state; never undoes a final result of the same or a later attempt. */
    record ShardUpdate(ShardRun shard) implements RunChange {
    }

    /** A shard's final result, applied unless the shard is already final for that attempt or a later one. */
    record ShardResult(ShardRun shard) implements RunChange {
    }

    /**
     * The child runs a parent run fires when it succeeds, written in the same transaction as the
     * parent's final status, so that no parent is ever stored SUCCEEDED without its children. A child
     * already recorded for this parent run (its completion processed again) is skipped.
     */
    record ChildRuns(long parentRunId, List<RunStore.NewRun> children) implements RunChange {
        public ChildRuns {
            children = List.copyOf(children);
        }
    }

    /**
     * A shard's attempt stopped to make room for another run: kept as the run's history, and so that
     * a new leader knows the attempt did not use a retry. Recorded once per attempt.
     *
     * @param byRunId the run it made room for
     */
    record Preempted(long runId, int shardIndex, int attempt, long byRunId, String byJobName, String reason, Instant at)
            implements RunChange {
    }
}
