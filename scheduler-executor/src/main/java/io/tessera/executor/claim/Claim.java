package io.tessera.executor.claim;

/**
 * A shard claim this agent holds.
 *
 * @param path         the claim node's path (without the namespace)
 * @param version      the node's data version when claimed; deletes are conditional on it
 * @param fencingToken the node's creation zxid
 * @param sessionId    the ZooKeeper session that owns the ephemeral node
 */
public record Claim(long runId, int shard, int attempt, String path, int version, long fencingToken, long sessionId) {
}
