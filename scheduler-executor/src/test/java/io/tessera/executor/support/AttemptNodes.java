package io.tessera.executor.support;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/** Reads attempt nodes as the admin would: ephemeral is a claim, persistent a result. Attempt 1 unless said. */
public final class AttemptNodes {

    private AttemptNodes() {
    }

    /** The node's stat while it is a claim (ephemeral), else null. */
    public static Stat claim(CuratorFramework zk, long runId, int shard) throws Exception {
        Stat stat = zk.checkExists().forPath(ZkLayout.attempt(runId, shard, 1));
        return stat != null && stat.getEphemeralOwner() != 0 ? stat : null;
    }

    /** The node's stat once it holds a result (persistent), else null. */
    public static Stat result(CuratorFramework zk, long runId, int shard) throws Exception {
        Stat stat = zk.checkExists().forPath(ZkLayout.attempt(runId, shard, 1));
        return stat != null && stat.getEphemeralOwner() == 0 ? stat : null;
    }

    public static ShardResult resultOf(CuratorFramework zk, long runId, int shard) throws Exception {
        return WireCodec.decode(zk.getData().forPath(ZkLayout.attempt(runId, shard, 1)), ShardResult.class);
    }
}
