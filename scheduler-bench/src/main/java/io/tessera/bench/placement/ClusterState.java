package io.tessera.bench.placement;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.placement.ClusterSnapshot;
import io.tessera.core.placement.ShardPlacement;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which devices running shards hold on each executor, as the simulation goes. */
final class ClusterState {

    private final List<ExecutorCard> cluster;
    private final Map<String, Set<DeviceId>> busy = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private int busyDevices;

    ClusterState(List<ExecutorCard> cluster) {
        this.cluster = List.copyOf(cluster);
        for (ExecutorCard card : cluster) {
            busy.put(card.id(), new HashSet<>());
            running.put(card.id(), 0);
        }
    }

    List<ExecutorCard> cluster() {
        return cluster;
    }

    /** What placement sees; executors in {@code excluded} are left out (held for a reservation). */
    ClusterSnapshot snapshot(Set<String> excluded) {
        return new ClusterSnapshot(cluster, busy, running).without(excluded);
    }

    void take(List<ShardPlacement> placements) {
        for (ShardPlacement placement : placements) {
            Set<DeviceId> held = busy.get(placement.executorId());
            for (DeviceId device : placement.devices()) {
                if (!held.add(device)) {
                    throw new IllegalStateException("device " + device + " on " + placement.executorId() + " given twice");
                }
            }
            running.merge(placement.executorId(), 1, Integer::sum);
            busyDevices += placement.devices().size();
        }
    }

    void release(List<ShardPlacement> placements) {
        for (ShardPlacement placement : placements) {
            busy.get(placement.executorId()).removeAll(placement.devices());
            running.merge(placement.executorId(), -1, Integer::sum);
            busyDevices -= placement.devices().size();
        }
    }

    int busyDevices() {
        return busyDevices;
    }

    int busyOn(ExecutorCard card) {
        return busy.get(card.id()).size();
    }

    boolean partlyUsed(ExecutorCard card) {
        int used = busyOn(card);
        return used > 0 && used < card.devices().size();
    }
}
