package io.tessera.bench.placement;

import io.tessera.core.placement.ClusterSnapshot;
import io.tessera.core.placement.PlacementRequest;
import io.tessera.core.placement.PlacementResult;
import io.tessera.core.placement.PlacementStrategy;
import io.tessera.core.placement.Placer;

import java.util.List;

/** Where a run's shards go, given what is busy: the real {@link Placer} or a baseline. */
public interface Policy {

    String name();

    PlacementResult place(PlacementRequest request, ClusterSnapshot snapshot);

    /** The request this policy is asked; the Placer reads its strategy, the baselines ignore it. */
    default PlacementStrategy strategy() {
        return PlacementStrategy.PACK;
    }

    static Policy placer(PlacementStrategy strategy) {
        return new Policy() {
            @Override
            public String name() {
                return "Placer " + strategy;
            }

            @Override
            public PlacementStrategy strategy() {
                return strategy;
            }

            @Override
            public PlacementResult place(PlacementRequest request, ClusterSnapshot snapshot) {
                return Placer.place(request, snapshot);
            }
        };
    }

    static List<Policy> all() {
        return List.of(placer(PlacementStrategy.PACK), placer(PlacementStrategy.SPREAD),
                new GreedyFit(GreedyFit.Rule.FIRST_FIT), new GreedyFit(GreedyFit.Rule.BEST_FIT));
    }
}
