package io.tessera.executor.claim;

/**
 * What came of trying to claim a shard's attempt; {@code claim} is set only when {@code outcome} is
 * CLAIMED, {@code message} says why otherwise.
 */
public record ClaimAttempt(Outcome outcome, Claim claim, String message) {

    public enum Outcome {
        CLAIMED,
        /** Another session holds the attempt. */
        ALREADY_CLAIMED,
        /** The attempt finished: its node holds the result. */
        ALREADY_DONE,
        /** ZooKeeper could not be asked, or not on the session that received the trigger. */
        UNAVAILABLE
    }

    static ClaimAttempt claimed(Claim claim) {
        return new ClaimAttempt(Outcome.CLAIMED, claim, "");
    }

    static ClaimAttempt refused(Outcome outcome, String message) {
        return new ClaimAttempt(outcome, null, message);
    }

    static ClaimAttempt unavailable(String message) {
        return refused(Outcome.UNAVAILABLE, message);
    }
}
