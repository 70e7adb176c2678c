package io.tessera.core.zk;

import java.time.Instant;

/**
 * The data of a {@code /runs/{runId}/{shard}/claim} node: who holds the shard and since when.
 * The fencing token is not stored here: it is the node's creation zxid, which ZooKeeper assigns.
 */
public record ShardClaim(String executorId, int attempt, Instant claimedAt) {
}
