package io.tessera.core.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which running work to stop so that a waiting request can be placed whole: the candidates the
 * caller allows (lower priority and preemptible, or borrowing another queue's quota), cheapest
 * first. A pure function, like {@link Placer}.
 *
 * <p>Greedy, then pruned: candidates are added in order of the device-time they would lose until
 * the request places completely on the cluster without them; then every chosen candidate that the
 * placement does not need after all is given back, the most expensive first. The result needs no
 * candidate it names, though a cheaper set may exist (finding the cheapest is a knapsack problem).
 */
public final class Preemption {

    private Preemption() {
    }

    /**
     * @return the candidates to stop, and where the request then goes; empty when stopping all of
     *         them would not make room
     */
    public static Optional<Plan> plan(PlacementRequest request, ClusterSnapshot snapshot, List<PreemptionCandidate> candidates) {
        if (request.shards().isEmpty() || candidates.isEmpty()) {
            return Optional.empty();
        }
        List<PreemptionCandidate> order = candidates.stream()
                .sorted(Comparator.comparingDouble(PreemptionCandidate::lostDeviceSeconds)
                        .thenComparing(PreemptionCandidate::key))
                .toList();
        List<PreemptionCandidate> chosen = new ArrayList<>();
        PlacementResult placed = null;
        for (PreemptionCandidate candidate : order) {
            chosen.add(candidate);
            PlacementResult trial = Placer.place(request, snapshot.freeing(held(chosen)));
            if (trial.complete()) {
                placed = trial;
                break;
            }
        }
        if (placed == null) {
            return Optional.empty();
        }
        List<PreemptionCandidate> dearestFirst = chosen.stream()
                .sorted(Comparator.comparingDouble(PreemptionCandidate::lostDeviceSeconds).reversed())
                .toList();
        for (PreemptionCandidate candidate : dearestFirst) {
            List<PreemptionCandidate> without = new ArrayList<>(chosen);
            without.remove(candidate);
            PlacementResult trial = without.isEmpty() ? Placer.place(request, snapshot)
                    : Placer.place(request, snapshot.freeing(held(without)));
            if (trial.complete()) {
                chosen = without;
                placed = trial;
            }
        }
        return Optional.of(new Plan(List.copyOf(chosen), placed));
    }

    private static List<PreemptionCandidate.Held> held(List<PreemptionCandidate> candidates) {
        return candidates.stream().flatMap(candidate -> candidate.held().stream()).toList();
    }

    /**
     * @param victims   what to stop
     * @param placement where the request goes once they stopped
     */
    public record Plan(List<PreemptionCandidate> victims, PlacementResult placement) {

        public double lostDeviceSeconds() {
            return victims.stream().mapToDouble(PreemptionCandidate::lostDeviceSeconds).sum();
        }

        /** The executors the request's placement uses: what to hold for it while the victims stop. */
        public java.util.Set<String> executors() {
            java.util.Set<String> ids = new java.util.HashSet<>();
            placement.placed().forEach(shard -> ids.add(shard.executorId()));
            return ids;
        }
    }
}
