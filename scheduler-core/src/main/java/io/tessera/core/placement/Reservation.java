package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.ExecutorCard;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which executors a run that cannot be placed now should wait for, so that smaller runs placed
 * after it (backfill) do not keep taking the devices it needs: the executors that, once drained,
 * hold all its shards. Chosen without run durations, which the engine does not know: the executors
 * with the fewest busy devices first, then the smallest that hold a shard (big machines stay for big
 * runs), then registration order. A pure function, like {@link Placer}.
 */
public final class Reservation {

    private Reservation() {
    }

    /**
     * The executors to hold for {@code request}, chosen among those of its group not in
     * {@code alreadyHeld}; empty when even all of those, drained, could not hold it.
     */
    public static Set<String> executorsFor(PlacementRequest request, ClusterSnapshot snapshot, Set<String> alreadyHeld) {
        AcceleratorRequirement requirement = request.requirement();
        if (requirement == null || request.shards().isEmpty()) {
            return Set.of();
        }
        List<ExecutorCard> executors = snapshot.executors();
        List<ExecutorCard> candidates = executors.stream()
                .filter(card -> card.group().equals(request.group()))
                .filter(card -> !alreadyHeld.contains(card.id()))
                .filter(card -> shardsWhenDrained(card, requirement) > 0)
                .sorted(Comparator.comparingInt((ExecutorCard card) -> snapshot.busy(card.id()).size())
                        .thenComparingInt(card -> card.devices().size())
                        .thenComparingInt(executors::indexOf))
                .toList();
        Set<String> held = new HashSet<>();
        int shards = 0;
        for (ExecutorCard card : candidates) {
            if (shards >= request.shards().size()) {
                break;
            }
            held.add(card.id());
            shards += shardsWhenDrained(card, requirement);
        }
        return shards >= request.shards().size() ? Set.copyOf(held) : Set.of();
    }

    /** How many shards of {@code requirement} the executor holds when nothing runs on it. */
    public static int shardsWhenDrained(ExecutorCard card, AcceleratorRequirement requirement) {
        long matching = card.devices().stream().filter(requirement::accepts).count();
        return (int) Math.min(matching / requirement.count(), card.slots());
    }
}
