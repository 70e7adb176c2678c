package io.tessera.executor.claim;

import org.apache.zookeeper.KeeperException.Code;

/** What came of writing a shard's result into ZooKeeper. */
public enum Completion {
    /** The ephemeral attempt node was replaced by a persistent one holding the result, in one transaction. */
    DONE,
    /**
     * The claim is no longer ours (node gone or replaced, or its session expired and the attempt was
     * taken since): the result must not count.
     */
    STALE,
    /** ZooKeeper could not be reached; the claim may still be ours, so try again when it can. */
    UNREACHABLE;

    /** What a ZooKeeper answer to a write on the claim's own session means for the claim. */
    static Completion of(Code code) {
        return switch (code) {
            case OK -> DONE;
            // An expired session: asked again, the claim's session is not the current one any more, and a
            // result may still be recorded on the next session (ExpiredClaimResults).
            case CONNECTIONLOSS, OPERATIONTIMEOUT, SESSIONEXPIRED -> UNREACHABLE;
            default -> STALE;
        };
    }
}
