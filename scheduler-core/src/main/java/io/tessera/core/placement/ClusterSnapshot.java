package io.tessera.core.placement;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What placement sees: the live executors in registration order, the devices running shards hold
 * on each, and how many shards each runs.
 */
public record ClusterSnapshot(List<ExecutorCard> executors, Map<String, Set<DeviceId>> busyDevices,
                              Map<String, Integer> runningShards) {

    public ClusterSnapshot {
        executors = List.copyOf(executors);
        busyDevices = busyDevices == null ? Map.of() : Map.copyOf(busyDevices);
        runningShards = runningShards == null ? Map.of() : Map.copyOf(runningShards);
    }

    public static ClusterSnapshot idle(List<ExecutorCard> executors) {
        return new ClusterSnapshot(executors, Map.of(), Map.of());
    }

    /** The same cluster without some executors, e.g. those held for a {@link Reservation}. */
    public ClusterSnapshot without(Set<String> executorIds) {
        if (executorIds.isEmpty()) {
            return this;
        }
        return new ClusterSnapshot(executors.stream().filter(card -> !executorIds.contains(card.id())).toList(),
                busyDevices, runningShards);
    }

    /** The same cluster with what these shards hold given back, as if they had stopped. */
    public ClusterSnapshot freeing(java.util.Collection<PreemptionCandidate.Held> shards) {
        Map<String, Set<DeviceId>> busy = new java.util.HashMap<>(busyDevices);
        Map<String, Integer> running = new java.util.HashMap<>(runningShards);
        for (PreemptionCandidate.Held shard : shards) {
            Set<DeviceId> left = new java.util.HashSet<>(busy.getOrDefault(shard.executorId(), Set.of()));
            shard.devices().forEach(left::remove);
            busy.put(shard.executorId(), left);
            running.computeIfPresent(shard.executorId(), (id, count) -> Math.max(0, count - 1));
        }
        return new ClusterSnapshot(executors, busy, running);
    }

    public Set<DeviceId> busy(String executorId) {
        return busyDevices.getOrDefault(executorId, Set.of());
    }

    public int running(String executorId) {
        return runningShards.getOrDefault(executorId, 0);
    }
}
