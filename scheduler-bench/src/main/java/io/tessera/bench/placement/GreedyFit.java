package io.tessera.bench.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.placement.ClusterSnapshot;
import io.tessera.core.placement.PlacementRequest;
import io.tessera.core.placement.PlacementResult;
import io.tessera.core.placement.PlacementResult.UnplacedShard;
import io.tessera.core.placement.ShardPlacement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The textbook baselines, shard by shard: first-fit takes the first executor in registration order
 * with room for the shard; best-fit the one left with the fewest free matching devices after it.
 * A gang is placed whole or not at all, as the Placer does.
 */
public final class GreedyFit implements Policy {

    public enum Rule { FIRST_FIT, BEST_FIT }

    private final Rule rule;

    public GreedyFit(Rule rule) {
        this.rule = rule;
    }

    @Override
    public String name() {
        return rule == Rule.FIRST_FIT ? "first-fit" : "best-fit";
    }

    @Override
    public PlacementResult place(PlacementRequest request, ClusterSnapshot snapshot) {
        AcceleratorRequirement requirement = request.requirement();
        List<ExecutorCard> group = snapshot.executors().stream().filter(card -> card.group().equals(request.group())).toList();
        Map<String, Set<DeviceId>> busy = new HashMap<>();
        Map<String, Integer> running = new HashMap<>();
        for (ExecutorCard card : group) {
            busy.put(card.id(), new HashSet<>(snapshot.busy(card.id())));
            running.put(card.id(), snapshot.running(card.id()));
        }
        List<ShardPlacement> placed = new ArrayList<>();
        List<UnplacedShard> unplaced = new ArrayList<>();
        for (int shard : request.shards()) {
            ExecutorCard chosen = choose(group, requirement, busy, running);
            if (chosen == null) {
                String reason = "no executor has " + requirement.count() + " free matching device(s)";
                if (request.gang()) {
                    return PlacementResult.nothingPlaced(request.shards(), reason);
                }
                unplaced.add(new UnplacedShard(shard, reason));
                continue;
            }
            List<DeviceId> ids = free(chosen, requirement, busy).subList(0, requirement.count()).stream().map(DeviceId::of).toList();
            busy.get(chosen.id()).addAll(ids);
            running.merge(chosen.id(), 1, Integer::sum);
            placed.add(new ShardPlacement(shard, chosen.id(), chosen.address(), ids));
        }
        return new PlacementResult(placed, unplaced);
    }

    private ExecutorCard choose(List<ExecutorCard> group, AcceleratorRequirement requirement,
                                Map<String, Set<DeviceId>> busy, Map<String, Integer> running) {
        List<ExecutorCard> fitting = group.stream()
                .filter(card -> running.get(card.id()) < card.slots())
                .filter(card -> free(card, requirement, busy).size() >= requirement.count())
                .toList();
        if (fitting.isEmpty()) {
            return null;
        }
        if (rule == Rule.FIRST_FIT) {
            return fitting.get(0);
        }
        return fitting.stream().min(Comparator.comparingInt((ExecutorCard card) -> free(card, requirement, busy).size())).orElseThrow();
    }

    private static List<Device> free(ExecutorCard card, AcceleratorRequirement requirement, Map<String, Set<DeviceId>> busy) {
        Set<DeviceId> taken = busy.get(card.id());
        return card.devices().stream()
                .filter(requirement::accepts)
                .filter(device -> !taken.contains(DeviceId.of(device)))
                .sorted(Comparator.comparingInt(Device::index))
                .toList();
    }
}
