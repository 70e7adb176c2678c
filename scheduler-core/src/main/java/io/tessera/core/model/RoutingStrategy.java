package io.tessera.core.model;

/** How shards that need no accelerator pick an executor in their group. */
public enum RoutingStrategy {
    /** The first live executor, in registration order. */
    FIRST,
    /** Executors in turn, continuing from the job's previous run. */
    ROUND_ROBIN,
    /** A pseudo-random executor, reproducible from the run's sequence number. */
    RANDOM,
    /** The same shard of the same job lands on the same executor while the group is unchanged. */
    CONSISTENT_HASH,
    /** The executor with the fewest running shards. */
    LEAST_BUSY,
    /** One shard on every live executor of the group; the shard count follows the group's size. */
    SHARDING_BROADCAST
}
