package io.tessera.core.placement;

/** How shards that need devices choose among executors that could take them. */
public enum PlacementStrategy {
    /** Fill executors that are already in use first and open as few idle ones as possible, keeping whole machines free. */
    PACK,
    /** Put each shard where the most matching devices are free, to spread load and heat. */
    SPREAD
}
