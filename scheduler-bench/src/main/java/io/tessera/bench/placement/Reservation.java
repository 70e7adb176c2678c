package io.tessera.bench.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.ExecutorCard;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The executors a blocked run waits for: those that, once drained, hold all its shards, chosen
 * without knowing how long anything runs (the engine does not know either): the executors with the
 * fewest busy devices first, then the smallest that fit (keeping big machines for big runs).
 */
final class Reservation {

    private Reservation() {
    }

    static Set<String> forRun(SimRun run, ClusterState state) {
        AcceleratorRequirement requirement = run.requirement();
        List<ExecutorCard> candidates = state.cluster().stream()
                .filter(card -> shardsWhenEmpty(card, requirement) > 0)
                .sorted(Comparator.comparingInt(state::busyOn)
                        .thenComparingInt((ExecutorCard card) -> card.devices().size()))
                .toList();
        Set<String> reserved = new HashSet<>();
        int shards = 0;
        for (ExecutorCard card : candidates) {
            if (shards >= run.shards()) {
                break;
            }
            reserved.add(card.id());
            shards += shardsWhenEmpty(card, requirement);
        }
        return reserved;
    }

    static int shardsWhenEmpty(ExecutorCard card, AcceleratorRequirement requirement) {
        long matching = card.devices().stream().filter(requirement::accepts).count();
        return (int) Math.min(matching / requirement.count(), card.slots());
    }
}
