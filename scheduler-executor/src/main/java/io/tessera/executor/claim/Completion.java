package io.tessera.executor.claim;

/** What came of writing a shard's result into ZooKeeper. */
public enum Completion {
    /** The claim was deleted and {@code done} created, in one transaction. */
    DONE,
    /** The claim is no longer ours (session lost, node gone or replaced): the result must not count. */
    STALE,
    /** ZooKeeper could not be reached; the claim may still be ours, so try again when it can. */
    UNREACHABLE
}
