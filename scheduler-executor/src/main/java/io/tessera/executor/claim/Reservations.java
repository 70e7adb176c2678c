package io.tessera.executor.claim;

/**
 * Which shards the agent is busy with. Claiming code that acts on a node by itself (not for a
 * trigger) reserves its shard first, so that it never races a trigger for the same shard.
 */
public interface Reservations {

    /** False when the agent already claims or holds the shard. */
    boolean tryReserve(long runId, int shard);

    void unreserve(long runId, int shard);
}
