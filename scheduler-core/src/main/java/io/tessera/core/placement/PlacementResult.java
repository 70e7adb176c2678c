package io.tessera.core.placement;

import java.util.List;

/**
 * The outcome of one placement: the shards that were placed, and for every other one why not.
 * For a gang request either {@code unplaced} or {@code placed} is empty.
 */
public record PlacementResult(List<ShardPlacement> placed, List<UnplacedShard> unplaced) {

    public PlacementResult {
        placed = List.copyOf(placed);
        unplaced = List.copyOf(unplaced);
    }

    /** A shard that could not be placed now, and a sentence that says which constraint failed. */
    public record UnplacedShard(int shardIndex, String reason) {
    }

    /** Nothing of these shards placed, for this reason. */
    public static PlacementResult nothingPlaced(List<Integer> shards, String reason) {
        return new PlacementResult(List.of(), shards.stream().map(shard -> new UnplacedShard(shard, reason)).toList());
    }

    public boolean complete() {
        return unplaced.isEmpty();
    }

    /** The first reason, or empty when everything was placed. */
    public String reason() {
        return unplaced.isEmpty() ? "" : unplaced.get(0).reason();
    }
}
