package io.tessera.executor.claim;

/** What came of trying to claim a shard; {@code claim} is set only when {@code outcome} is CLAIMED. */
public record ClaimAttempt(Outcome outcome, Claim claim) {

    public enum Outcome { CLAIMED, ALREADY_CLAIMED, ALREADY_DONE }

    static ClaimAttempt claimed(Claim claim) {
        return new ClaimAttempt(Outcome.CLAIMED, claim);
    }

    static ClaimAttempt refused(Outcome outcome) {
        return new ClaimAttempt(outcome, null);
    }
}
