package io.tessera.core.wire;

/** How an executor answered a trigger. Only ACCEPTED and QUEUED mean the shard will run there. */
public enum TriggerOutcome {
    /** Claimed and started. */
    ACCEPTED,
    /** Claimed; waits behind a running shard of the same job (block strategy SERIAL). */
    QUEUED,
    /** Another holder has the claim: refused, nothing runs. */
    ALREADY_CLAIMED,
    /** The shard already has a result: refused, nothing runs. */
    ALREADY_DONE,
    /** The same job runs here and its block strategy is DISCARD_NEW. */
    DISCARDED,
    /** No handler of that name is registered on this executor. */
    UNKNOWN_HANDLER,
    /** The job uses the command handler and this agent was not started with it enabled. */
    COMMAND_DISABLED,
    /** Every slot is taken. */
    NO_SLOT,
    /** The agent has no ZooKeeper session, so it cannot claim. */
    UNAVAILABLE,
    /** The trigger (one of a batch) was malformed or failed on the agent; the message says why. */
    REJECTED;

    public boolean runs() {
        return this == ACCEPTED || this == QUEUED;
    }
}
