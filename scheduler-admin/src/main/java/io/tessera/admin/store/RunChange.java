package io.tessera.admin.store;

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
}
