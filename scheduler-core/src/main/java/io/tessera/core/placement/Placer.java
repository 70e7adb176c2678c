package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.placement.PlacementResult.UnplacedShard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Decides where shards run. A pure function of its inputs: no I/O, no clock, no hidden state, so
 * every admin computes the same answer and the rules can be tested exhaustively.
 *
 * <p>Invariants: a device is never given to two shards (neither one already busy in the snapshot
 * nor twice within one result); every device given satisfies the requirement; an executor never
 * gets more shards than its free slots; a gang request is placed whole or not at all.
 *
 * <p>Strategies for shards that need devices: PACK is best fit by executor size: each shard goes to
 * the smallest executor with room for it (size: devices matching the requirement), busy or idle,
 * and among those of that size to the one left with the fewest matching devices free. So after PACK
 * no executor smaller than one it used is left with room for another such shard, and among
 * executors of one size the tightest filled first: big executors stay whole for the runs that need
 * them. SPREAD puts each shard where the most matching devices are free. Both place the same number
 * of shards: as many as the group has room for. Within an executor, {@link DeviceChoice} picks the
 * devices.
 */
public final class Placer {

    private Placer() {
    }

    public static PlacementResult place(PlacementRequest request, ClusterSnapshot snapshot) {
        List<ExecutorCard> group = snapshot.executors().stream()
                .filter(card -> card.group().equals(request.group()))
                .toList();
        if (request.routing() == RoutingStrategy.SHARDING_BROADCAST && request.requirement() == null) {
            return broadcast(group);
        }
        if (request.shards().isEmpty()) {
            return new PlacementResult(List.of(), List.of());
        }
        if (group.isEmpty()) {
            return allUnplaced(request, "no live executor in group '" + request.group() + "'");
        }
        Ledger ledger = new Ledger(group, snapshot);
        return request.requirement() == null
                ? new Routing(request, ledger).place()
                : new DevicePacking(request, ledger).place();
    }

    private static PlacementResult broadcast(List<ExecutorCard> group) {
        List<ShardPlacement> placed = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            placed.add(new ShardPlacement(i, group.get(i).id(), group.get(i).address(), List.of()));
        }
        return new PlacementResult(placed, List.of());
    }

    static PlacementResult allUnplaced(PlacementRequest request, String reason) {
        return PlacementResult.nothingPlaced(request.shards(), reason);
    }

    /** The working copy of device use and slot use while one request is placed. */
    static final class Ledger {
        final List<ExecutorCard> executors;
        final Map<String, Set<DeviceId>> busy = new HashMap<>();
        final Map<String, Integer> running = new HashMap<>();
        final Map<String, Integer> order = new HashMap<>();

        Ledger(List<ExecutorCard> executors, ClusterSnapshot snapshot) {
            this.executors = executors;
            for (int i = 0; i < executors.size(); i++) {
                ExecutorCard card = executors.get(i);
                busy.put(card.id(), new HashSet<>(snapshot.busy(card.id())));
                running.put(card.id(), snapshot.running(card.id()));
                order.put(card.id(), i);
            }
        }

        int freeSlots(ExecutorCard card) {
            return Math.max(0, card.slots() - running.get(card.id()));
        }

        boolean idle(ExecutorCard card) {
            return busy.get(card.id()).isEmpty() && running.get(card.id()) == 0;
        }

        List<Device> freeMatching(ExecutorCard card, AcceleratorRequirement requirement) {
            Set<DeviceId> taken = busy.get(card.id());
            return card.devices().stream()
                    .filter(requirement::accepts)
                    .filter(Device::healthy)
                    .filter(device -> !taken.contains(DeviceId.of(device)))
                    .sorted(Comparator.comparingInt(Device::index))
                    .toList();
        }

        ShardPlacement take(int shard, ExecutorCard card, List<Device> devices) {
            List<DeviceId> ids = devices.stream().map(DeviceId::of).toList();
            busy.get(card.id()).addAll(ids);
            running.merge(card.id(), 1, Integer::sum);
            return new ShardPlacement(shard, card.id(), card.address(), ids);
        }
    }

    /** Shards that need devices: capacity is counted in whole shards per executor. */
    private static final class DevicePacking {
        private final PlacementRequest request;
        private final AcceleratorRequirement requirement;
        private final Ledger ledger;

        DevicePacking(PlacementRequest request, Ledger ledger) {
            this.request = request;
            this.requirement = request.requirement();
            this.ledger = ledger;
        }

        int capacity(ExecutorCard card) {
            return Math.min(ledger.freeMatching(card, requirement).size() / requirement.count(), ledger.freeSlots(card));
        }

        PlacementResult place() {
            int totalCapacity = ledger.executors.stream().mapToInt(this::capacity).sum();
            int wanted = request.shards().size();
            if (request.gang() && totalCapacity < wanted) {
                return allUnplaced(request, Diagnosis.devices(request, ledger, totalCapacity));
            }
            List<ExecutorCard> targets = request.strategy() == PlacementStrategy.PACK
                    ? packOrder(Math.min(wanted, totalCapacity))
                    : spreadOrder(Math.min(wanted, totalCapacity));
            // Explain before taking devices, so the sentence describes the cluster as the request found it.
            String reason = totalCapacity < wanted ? Diagnosis.devices(request, ledger, totalCapacity) : null;
            List<ShardPlacement> placed = new ArrayList<>();
            List<UnplacedShard> unplaced = new ArrayList<>();
            for (int i = 0; i < wanted; i++) {
                int shard = request.shards().get(i);
                if (i < targets.size()) {
                    ExecutorCard card = targets.get(i);
                    List<Device> devices = DeviceChoice.best(ledger.freeMatching(card, requirement), requirement.count());
                    placed.add(ledger.take(shard, card, devices));
                } else {
                    unplaced.add(new UnplacedShard(shard, reason));
                }
            }
            return new PlacementResult(placed, unplaced);
        }

        /**
         * One executor per shard, in order: each shard goes to the smallest executor that has room
         * for it (fewest devices matching the requirement, free or not), busy or idle, and among
         * executors of that size to the one with the fewest matching devices free (the tightest fit),
         * counting the shards placed before it; then registration order. Small executors and the
         * gaps on busy ones fill first; the big executors, which only big shards can use, stay whole
         * as long as anything smaller has room.
         */
        private List<ExecutorCard> packOrder(int shards) {
            Map<String, Integer> size = new HashMap<>();
            Map<String, Integer> free = new HashMap<>();
            Map<String, Integer> capacity = new HashMap<>();
            for (ExecutorCard card : ledger.executors) {
                size.put(card.id(), (int) card.devices().stream().filter(requirement::accepts).count());
                free.put(card.id(), ledger.freeMatching(card, requirement).size());
                capacity.put(card.id(), capacity(card));
            }
            Comparator<ExecutorCard> smallestThenTightest = Comparator
                    .comparingInt((ExecutorCard card) -> size.get(card.id()))
                    .thenComparingInt(card -> free.get(card.id()))
                    .thenComparingInt(card -> ledger.order.get(card.id()));
            List<ExecutorCard> order = new ArrayList<>();
            while (order.size() < shards) {
                ExecutorCard chosen = ledger.executors.stream()
                        .filter(card -> capacity.get(card.id()) > 0)
                        .min(smallestThenTightest)
                        .orElseThrow();
                order.add(chosen);
                free.merge(chosen.id(), -requirement.count(), Integer::sum);
                capacity.merge(chosen.id(), -1, Integer::sum);
            }
            return order;
        }

        /** Each shard where the most matching devices are free, counting the shards placed before it. */
        private List<ExecutorCard> spreadOrder(int shards) {
            Map<String, Integer> free = new HashMap<>();
            Map<String, Integer> capacity = new HashMap<>();
            Map<String, Integer> running = new HashMap<>();
            for (ExecutorCard card : ledger.executors) {
                free.put(card.id(), ledger.freeMatching(card, requirement).size());
                capacity.put(card.id(), capacity(card));
                running.put(card.id(), ledger.running.get(card.id()));
            }
            List<ExecutorCard> order = new ArrayList<>();
            while (order.size() < shards) {
                ExecutorCard chosen = ledger.executors.stream()
                        .filter(card -> capacity.get(card.id()) > 0)
                        .max(Comparator.comparingInt((ExecutorCard card) -> free.get(card.id()))
                                .thenComparingInt(card -> -running.get(card.id()))
                                .thenComparingInt(card -> -ledger.order.get(card.id())))
                        .orElseThrow();
                order.add(chosen);
                free.merge(chosen.id(), -requirement.count(), Integer::sum);
                capacity.merge(chosen.id(), -1, Integer::sum);
                running.merge(chosen.id(), 1, Integer::sum);
            }
            return order;
        }
    }

    /** Shards that need no device: the job's routing strategy picks among executors with a free slot. */
    private static final class Routing {
        private final PlacementRequest request;
        private final Ledger ledger;
        private final List<ExecutorCard> executors;

        Routing(PlacementRequest request, Ledger ledger) {
            this.request = request;
            this.ledger = ledger;
            this.executors = ledger.executors;
        }

        PlacementResult place() {
            int freeSlots = executors.stream().mapToInt(ledger::freeSlots).sum();
            if (request.gang() && freeSlots < request.shards().size()) {
                return allUnplaced(request, Diagnosis.slots(request, executors.size(), freeSlots));
            }
            List<ShardPlacement> placed = new ArrayList<>();
            List<UnplacedShard> unplaced = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(request.sequence());
            ConsistentHashRing ring = request.routing() == RoutingStrategy.CONSISTENT_HASH
                    ? new ConsistentHashRing(executors.stream().map(ExecutorCard::id).toList())
                    : null;
            for (int shard : request.shards()) {
                ExecutorCard chosen = choose(shard, random, ring);
                if (chosen == null) {
                    unplaced.add(new UnplacedShard(shard, Diagnosis.slots(request, executors.size(), 0)));
                } else {
                    placed.add(ledger.take(shard, chosen, List.of()));
                }
            }
            return new PlacementResult(placed, unplaced);
        }

        private ExecutorCard choose(int shard, SplittableRandom random, ConsistentHashRing ring) {
            List<ExecutorCard> open = executors.stream().filter(card -> ledger.freeSlots(card) > 0).toList();
            if (open.isEmpty()) {
                return null;
            }
            return switch (request.routing()) {
                case FIRST -> open.get(0);
                case RANDOM -> open.get(random.nextInt(open.size()));
                case LEAST_BUSY -> open.stream()
                        .min(Comparator.comparingInt((ExecutorCard card) -> ledger.running.get(card.id()))
                                .thenComparingInt(card -> ledger.order.get(card.id())))
                        .orElseThrow();
                case ROUND_ROBIN -> {
                    int start = (int) Math.floorMod(request.sequence() + shard, (long) executors.size());
                    ExecutorCard found = null;
                    for (int step = 0; step < executors.size() && found == null; step++) {
                        ExecutorCard card = executors.get((start + step) % executors.size());
                        if (ledger.freeSlots(card) > 0) {
                            found = card;
                        }
                    }
                    yield found;
                }
                case CONSISTENT_HASH -> {
                    String wanted = ring.walk(request.routingKey() + "#" + shard).stream()
                            .filter(id -> open.stream().anyMatch(card -> card.id().equals(id)))
                            .findFirst()
                            .orElseThrow();
                    yield open.stream().filter(card -> card.id().equals(wanted)).findFirst().orElseThrow();
                }
                case SHARDING_BROADCAST -> throw new IllegalStateException("broadcast is placed before routing");
            };
        }
    }
}
