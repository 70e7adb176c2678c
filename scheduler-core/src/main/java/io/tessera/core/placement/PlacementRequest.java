package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.RoutingStrategy;

import java.util.List;
import java.util.Objects;

/**
 * The shards of one run to place.
 *
 * @param group        only executors of this group are considered
 * @param shards       the shard indices to place (all of them, or those being re-placed)
 * @param requirement  per shard, or null when the shards need no device
 * @param gang         place all {@code shards} or none
 * @param routing      for shards without a requirement; {@link RoutingStrategy#SHARDING_BROADCAST}
 *                     ignores {@code shards} and places shard i on the i-th executor of the group
 * @param strategy     for shards with a requirement
 * @param routingKey   what {@link RoutingStrategy#CONSISTENT_HASH} hashes, usually the job's name
 * @param sequence     the job's run counter: where {@link RoutingStrategy#ROUND_ROBIN} continues
 *                     and what seeds {@link RoutingStrategy#RANDOM}
 */
public record PlacementRequest(String group, List<Integer> shards, AcceleratorRequirement requirement, boolean gang,
                               RoutingStrategy routing, PlacementStrategy strategy, String routingKey, long sequence) {

    public PlacementRequest {
        Objects.requireNonNull(group, "group");
        shards = List.copyOf(shards);
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(strategy, "strategy");
        routingKey = routingKey == null ? "" : routingKey;
    }

    public PlacementRequest withGroup(String otherGroup) {
        return new PlacementRequest(otherGroup, shards, requirement, gang, routing, strategy, routingKey, sequence);
    }

    /** Shards 0..count-1. */
    public static List<Integer> allShards(int count) {
        return java.util.stream.IntStream.range(0, count).boxed().toList();
    }
}
