package io.tessera.core.zk;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import org.apache.zookeeper.data.Stat;

/**
 * What an attempt node ({@link ZkLayout#attempt}) says. An ephemeral node is a claim: an executor
 * holds the attempt and its handler may be running. A persistent node is the attempt's result:
 * the holder replaced its claim by it in one transaction.
 */
public sealed interface AttemptNode {

    /**
     * An executor holds the attempt.
     *
     * @param fencingToken the node's creation zxid
     * @param session      the ZooKeeper session that owns the node
     */
    record Held(ShardClaim claim, long fencingToken, long session) implements AttemptNode {
    }

    /** The attempt finished with this result. */
    record Finished(ShardResult result) implements AttemptNode {
    }

    /**
     * Reads a node from its stat and data.
     *
     * @throws io.tessera.core.wire.WireFormatException when the data is not what such a node holds
     */
    static AttemptNode of(Stat stat, byte[] data) {
        if (stat.getEphemeralOwner() != 0) {
            return new Held(WireCodec.decode(data, ShardClaim.class), stat.getCzxid(), stat.getEphemeralOwner());
        }
        return new Finished(WireCodec.decode(data, ShardResult.class));
    }
}
