package io.tessera.core.zk;

import java.time.Instant;

/**
 * The data of an attempt node while an executor holds it: who and since when. The fencing token
 * is not stored here: it is the node's creation zxid, which ZooKeeper assigns.
 */
public record ShardClaim(String executorId, int attempt, Instant claimedAt) {
}
