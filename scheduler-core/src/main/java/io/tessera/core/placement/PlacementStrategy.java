package io.tessera.core.placement;

/** How shards that need devices choose among executors that could take them. */
public enum PlacementStrategy {
    /**
     * Best fit by executor size: each shard on the smallest executor with room for it, busy or idle, then the tightest
     * fit; the big machines stay whole for big shards.
     */
    PACK,
    /** Put each shard where the most matching devices are free, to spread load and heat. */
    SPREAD
}
