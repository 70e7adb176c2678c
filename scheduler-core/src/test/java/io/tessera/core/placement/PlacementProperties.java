package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.RoutingStrategy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants of placement over random fleets, device use and requirements. */
class PlacementProperties {

    record Case(ClusterSnapshot snapshot, AcceleratorRequirement requirement, int shards, boolean gang) {
        PlacementRequest request(PlacementStrategy strategy) {
            return new PlacementRequest("default", PlacementRequest.allShards(shards), requirement, gang,
                    RoutingStrategy.ROUND_ROBIN, strategy, "job", 0);
        }
    }

    private static final String[][] MODELS = {
            {"NVIDIA H100 80GB HBM3", "81559"}, {"NVIDIA A100-SXM4-40GB", "40960"}, {"Tesla T4", "15360"}};

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<ExecutorSpec> executor = Combinators.combine(
                Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(0, MODELS.length - 1),
                Arbitraries.integers().between(1, 8),
                Arbitraries.longs().between(0, 255),
                Arbitraries.integers().between(0, 3)).as(ExecutorSpec::new);
        Arbitrary<AcceleratorRequirement> requirement = Combinators.combine(
                Arbitraries.integers().between(1, 4),
                Arbitraries.of("", "H100", "*A100*", "T4"),
                Arbitraries.of(0L, 16000L, 40000L)).as((count, model, memory) -> new AcceleratorRequirement("GPU", count, model, memory));
        return Combinators.combine(executor.list().ofMinSize(0).ofMaxSize(6), requirement,
                Arbitraries.integers().between(1, 10), Arbitraries.of(true, false)).as(PlacementProperties::build);
    }

    record ExecutorSpec(int gpus, int model, int slots, long busyMask, int running) {
    }

    private static Case build(List<ExecutorSpec> specs, AcceleratorRequirement requirement, int shards, boolean gang) {
        List<ExecutorCard> cards = new ArrayList<>();
        Map<String, Set<DeviceId>> busy = new HashMap<>();
        Map<String, Integer> running = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            ExecutorSpec spec = specs.get(i);
            String id = "e" + i;
            List<Device> devices = new ArrayList<>();
            Set<DeviceId> taken = new HashSet<>();
            for (int d = 0; d < spec.gpus(); d++) {
                devices.add(new Device("GPU", "nvidia", MODELS[spec.model()][0], Long.parseLong(MODELS[spec.model()][1]), d, null));
                if ((spec.busyMask() & (1L << d)) != 0) {
                    taken.add(new DeviceId("GPU", d));
                }
            }
            cards.add(new ExecutorCard(id, "default", id + ":1", devices, spec.slots(), Map.of(), "t"));
            busy.put(id, taken);
            // Shards that hold devices count as running; a few may run without devices.
            running.put(id, Math.min(spec.slots(), (taken.isEmpty() ? 0 : 1) + spec.running()));
        }
        return new Case(new ClusterSnapshot(cards, busy, running), requirement, shards, gang);
    }

    @Property
    void noDeviceIsGivenTwiceOrWhileBusy(@ForAll("cases") Case c, @ForAll PlacementStrategy strategy) {
        PlacementResult result = Placer.place(c.request(strategy), c.snapshot());
        Set<String> given = new HashSet<>();
        for (ShardPlacement placement : result.placed()) {
            for (DeviceId device : placement.devices()) {
                assertThat(given.add(placement.executorId() + "/" + device)).as("device %s given twice", device).isTrue();
                assertThat(c.snapshot().busy(placement.executorId())).doesNotContain(device);
            }
        }
    }

    @Property
    void everyPlacedShardGetsDevicesThatSatisfyItsRequirement(@ForAll("cases") Case c, @ForAll PlacementStrategy strategy) {
        PlacementResult result = Placer.place(c.request(strategy), c.snapshot());
        Map<String, ExecutorCard> byId = c.snapshot().executors().stream()
                .collect(Collectors.toMap(ExecutorCard::id, card -> card));
        for (ShardPlacement placement : result.placed()) {
            assertThat(placement.devices()).hasSize(c.requirement().count());
            for (DeviceId id : placement.devices()) {
                Device device = byId.get(placement.executorId()).devices().stream()
                        .filter(candidate -> DeviceId.of(candidate).equals(id)).findFirst().orElseThrow();
                assertThat(c.requirement().accepts(device)).isTrue();
            }
        }
    }

    @Property
    void aGangIsPlacedWholeOrNotAtAll(@ForAll("cases") Case c, @ForAll PlacementStrategy strategy) {
        Case gang = new Case(c.snapshot(), c.requirement(), c.shards(), true);
        PlacementResult result = Placer.place(gang.request(strategy), gang.snapshot());
        assertThat(result.placed().size()).isIn(0, gang.shards());
        assertThat(result.placed().isEmpty() || result.unplaced().isEmpty()).isTrue();
    }

    @Property
    void everyShardIsEitherPlacedOrExplainedOnce(@ForAll("cases") Case c, @ForAll PlacementStrategy strategy) {
        PlacementResult result = Placer.place(c.request(strategy), c.snapshot());
        List<Integer> seen = new ArrayList<>();
        result.placed().forEach(placement -> seen.add(placement.shardIndex()));
        result.unplaced().forEach(unplaced -> {
            seen.add(unplaced.shardIndex());
            assertThat(unplaced.reason()).isNotBlank();
        });
        assertThat(seen).containsExactlyInAnyOrderElementsOf(PlacementRequest.allShards(c.shards()));
    }

    @Property
    void noExecutorGetsMoreShardsThanItsFreeSlots(@ForAll("cases") Case c, @ForAll PlacementStrategy strategy) {
        PlacementResult result = Placer.place(c.request(strategy), c.snapshot());
        Map<String, Long> placed = result.placed().stream()
                .collect(Collectors.groupingBy(ShardPlacement::executorId, Collectors.counting()));
        for (ExecutorCard card : c.snapshot().executors()) {
            long free = card.slots() - c.snapshot().running(card.id());
            assertThat(placed.getOrDefault(card.id(), 0L)).isLessThanOrEqualTo(free);
        }
    }

    @Property
    void packPlacesAsManyAsSpread(@ForAll("cases") Case c) {
        PlacementResult pack = Placer.place(c.request(PlacementStrategy.PACK), c.snapshot());
        PlacementResult spread = Placer.place(c.request(PlacementStrategy.SPREAD), c.snapshot());
        assertThat(pack.placed()).hasSameSizeAs(spread.placed());
    }

    /**
     * PACK keeps big executors for big shards: every executor still able to take a shard of the
     * same requirement after PACK placed is at least as big (devices matching the requirement) as
     * each executor PACK used.
     */
    @Property
    void packLeavesRoomOnlyOnExecutorsAtLeastAsBigAsThoseItUsed(@ForAll("cases") Case c) {
        PlacementResult pack = Placer.place(c.request(PlacementStrategy.PACK), c.snapshot());
        Set<String> used = pack.placed().stream().map(ShardPlacement::executorId).collect(Collectors.toSet());
        for (ExecutorCard usedCard : c.snapshot().executors()) {
            if (!used.contains(usedCard.id())) {
                continue;
            }
            for (ExecutorCard other : c.snapshot().executors()) {
                if (roomAfter(c, pack, other) > 0) {
                    assertThat(size(c, other)).as("%s is left with room but is smaller than %s, which PACK used", other.id(), usedCard.id())
                            .isGreaterThanOrEqualTo(size(c, usedCard));
                }
            }
        }
    }

    /**
     * Among executors of one size PACK fills the tightest first: an executor of the size of one PACK
     * used that is still left with room had at least as many matching devices free beforehand.
     */
    @Property
    void amongExecutorsOfOneSizePackFillsTheTightestFirst(@ForAll("cases") Case c) {
        PlacementResult pack = Placer.place(c.request(PlacementStrategy.PACK), c.snapshot());
        Set<String> used = pack.placed().stream().map(ShardPlacement::executorId).collect(Collectors.toSet());
        for (ExecutorCard usedCard : c.snapshot().executors()) {
            if (!used.contains(usedCard.id())) {
                continue;
            }
            for (ExecutorCard other : c.snapshot().executors()) {
                if (size(c, other) == size(c, usedCard) && roomAfter(c, pack, other) > 0) {
                    assertThat(freeMatching(c, other, PlacementResult.nothingPlaced(List.of(), "")))
                            .as("%s, left with room, had fewer devices free than %s, which PACK used", other.id(), usedCard.id())
                            .isGreaterThanOrEqualTo(freeMatching(c, usedCard, PlacementResult.nothingPlaced(List.of(), "")));
                }
            }
        }
    }

    /** Devices on the executor that match the requirement, free or not. */
    private static long size(Case c, ExecutorCard card) {
        return card.devices().stream().filter(c.requirement()::accepts).count();
    }

    /** Healthy matching devices neither busy in the snapshot nor given by {@code result}. */
    private static long freeMatching(Case c, ExecutorCard card, PlacementResult result) {
        Set<DeviceId> taken = new HashSet<>(c.snapshot().busy(card.id()));
        result.placed().stream().filter(placement -> placement.executorId().equals(card.id()))
                .forEach(placement -> taken.addAll(placement.devices()));
        return card.devices().stream().filter(c.requirement()::accepts).filter(Device::healthy)
                .filter(device -> !taken.contains(DeviceId.of(device))).count();
    }

    /** How many more shards of the requirement the executor could take after {@code result}. */
    private static long roomAfter(Case c, PlacementResult result, ExecutorCard card) {
        long placedHere = result.placed().stream().filter(placement -> placement.executorId().equals(card.id())).count();
        long slots = card.slots() - c.snapshot().running(card.id()) - placedHere;
        return Math.max(0, Math.min(freeMatching(c, card, result) / c.requirement().count(), slots));
    }

    @Property
    void placementIsDeterministic(@ForAll("cases") Case c, @ForAll PlacementStrategy strategy) {
        assertThat(Placer.place(c.request(strategy), c.snapshot())).isEqualTo(Placer.place(c.request(strategy), c.snapshot()));
    }
}
