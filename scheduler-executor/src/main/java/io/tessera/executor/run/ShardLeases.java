package io.tessera.executor.run;

import io.tessera.executor.claim.Reservations;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shards this agent is claiming or holds, by run and shard (any attempt): a second trigger for
 * one of them is refused at once, without asking ZooKeeper.
 */
public final class ShardLeases implements Reservations {

    private final Set<ShardKey> keys = ConcurrentHashMap.newKeySet();

    public boolean reserve(ShardKey key) {
        return keys.add(key);
    }

    public void release(ShardKey key) {
        keys.remove(key);
    }

    @Override
    public boolean tryReserve(long runId, int shard) {
        return reserve(new ShardKey(runId, shard));
    }

    @Override
    public void unreserve(long runId, int shard) {
        release(new ShardKey(runId, shard));
    }
}
