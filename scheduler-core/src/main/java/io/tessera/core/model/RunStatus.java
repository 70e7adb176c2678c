package io.tessera.core.model;

/** The status of a run, and of each of its shards. */
public enum RunStatus {
    /** Recorded, not yet placed. */
    PENDING,
    /** Does not fit on the live executors yet; queued until it fits or its wait limit passes. */
    WAITING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    TIMED_OUT;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
    }
}
