package io.tessera.admin.engine;

import io.tessera.core.model.RunStatus;

/**
 * Where one shard of a run the leader drives stands, and how each {@link Event} moves it: one
 * table, {@link #on}, that every part of the engine goes through. An event a state does not expect
 * (a late reply for an attempt that moved on, a second result) leaves it where it is.
 */
enum ShardState {
    /** Waits for placement: new, refused by an executor, or the next attempt after one ended. */
    PENDING(RunStatus.PENDING),
    /** Placed; its trigger is on the way to the executor or not yet answered. */
    DISPATCHED(RunStatus.RUNNING),
    /** Its executor holds the attempt's claim: the handler waits for its start time, runs, or finishes. */
    RUNNING(RunStatus.RUNNING),
    SUCCEEDED(RunStatus.SUCCEEDED),
    FAILED(RunStatus.FAILED),
    TIMED_OUT(RunStatus.TIMED_OUT),
    CANCELLED(RunStatus.CANCELLED);

    /** What happens to a shard. */
    enum Event {
        /** Placement chose an executor and devices for it. */
        PLACED,
        /** Its executor holds the claim (it said so, or the claim was read). */
        CLAIMED,
        /** Another executor holds this attempt's claim: the shard is followed there. */
        HELD_ELSEWHERE,
        /** Its executor would not take it, or the trigger never arrived: placed again, same attempt. */
        REFUSED,
        /** Its claim is gone without a result (its executor died or gave it back): the attempt ended badly. */
        LOST,
        /** Results of the current attempt. */
        SUCCEEDED, FAILED, TIMED_OUT, CANCELLED,
        /** A failed, timed-out or lost attempt is followed by the next one. */
        RETRIED,
        /** Its gang restarts whole as the next attempt: every rank runs again, finished ones too. */
        GANG_RESTARTED,
        /** Stopped before it ran: its run was cancelled, or its gang restarts. */
        ABANDONED
    }

    private final RunStatus stored;

    ShardState(RunStatus stored) {
        this.stored = stored;
    }

    /** The status the database keeps for this state. */
    RunStatus stored() {
        return stored;
    }

    boolean isTerminal() {
        return stored.isTerminal();
    }

    /** The state after {@code event}, or this state when the event does not apply to it. */
    ShardState on(Event event) {
        return switch (this) {
            case PENDING -> switch (event) {
                case PLACED -> DISPATCHED;
                case ABANDONED -> CANCELLED;
                case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED -> result(event);
                default -> this;
            };
            case DISPATCHED -> switch (event) {
                case CLAIMED, HELD_ELSEWHERE -> RUNNING;
                case REFUSED -> PENDING;
                case LOST -> FAILED;
                case ABANDONED -> CANCELLED;
                case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED -> result(event);
                default -> this;
            };
            case RUNNING -> switch (event) {
                case LOST -> FAILED;
                case ABANDONED -> CANCELLED;
                case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED -> result(event);
                default -> this;
            };
            case SUCCEEDED -> event == Event.GANG_RESTARTED ? PENDING : this;
            case FAILED, TIMED_OUT, CANCELLED -> event == Event.RETRIED || event == Event.GANG_RESTARTED ? PENDING : this;
        };
    }

    /** The event a result of this status is. */
    static Event resultOf(RunStatus status) {
        return switch (status) {
            case SUCCEEDED -> Event.SUCCEEDED;
            case FAILED -> Event.FAILED;
            case TIMED_OUT -> Event.TIMED_OUT;
            case CANCELLED -> Event.CANCELLED;
            default -> throw new IllegalArgumentException("not a result: " + status);
        };
    }

    private static ShardState result(Event event) {
        return switch (event) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case TIMED_OUT -> TIMED_OUT;
            case CANCELLED -> CANCELLED;
            default -> throw new IllegalArgumentException("not a result: " + event);
        };
    }
}
