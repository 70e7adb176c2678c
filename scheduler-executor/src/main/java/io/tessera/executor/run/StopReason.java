package io.tessera.executor.run;

import io.tessera.core.model.RunStatus;

/** Why a shard was stopped before its handler returned by itself. */
public enum StopReason {
    /** The admin asked (POST /v1/kill). */
    KILLED(RunStatus.CANCELLED, true),
    /**
     * The admin stops it to make room for a run of higher priority (or to give borrowed quota back)
     * and puts it back in the queue: the result says so, and a command's process tree may get a longer grace.
     */
    PREEMPTED(RunStatus.CANCELLED, true),
    /** The trigger's timeout passed. */
    TIMED_OUT(RunStatus.TIMED_OUT, true),
    /** A newer run of the same job replaced it (block strategy REPLACE_OLD). */
    REPLACED(RunStatus.CANCELLED, true),
    /** The ZooKeeper session was lost or suspended too long: the claim may be someone else's now. */
    CONNECTION_LOST(RunStatus.CANCELLED, false),
    /** The agent is closing; the leader re-places the shard. */
    AGENT_CLOSED(RunStatus.CANCELLED, false);

    private final RunStatus status;
    private final boolean recordsResult;

    StopReason(RunStatus status, boolean recordsResult) {
        this.status = status;
        this.recordsResult = recordsResult;
    }

    public RunStatus status() {
        return status;
    }

    /** Whether the shard ends with a {@code done} node, or only gives its claim back. */
    public boolean recordsResult() {
        return recordsResult;
    }
}
