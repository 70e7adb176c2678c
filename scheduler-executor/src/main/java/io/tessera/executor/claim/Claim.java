package io.tessera.executor.claim;

/**
 * An attempt this agent holds: its ephemeral attempt node.
 *
 * @param path         the attempt node's path (without the namespace)
 * @param version      the node's data version when claimed; the completion's delete is conditional on it
 * @param fencingToken the node's creation zxid
 * @param sessionId    the ZooKeeper session that owns the ephemeral node
 */
public record Claim(long runId, int shard, int attempt, String path, int version, long fencingToken, long sessionId) {
}
