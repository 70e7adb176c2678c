package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.RoutingStrategy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.tessera.core.placement.Fleet.cpu;
import static io.tessera.core.placement.Fleet.gpus;
import static org.assertj.core.api.Assertions.assertThat;

class PlacerTest {

    private static final AcceleratorRequirement ONE_GPU = AcceleratorRequirement.of("GPU", 1);

    private static PlacementRequest devices(int shards, AcceleratorRequirement requirement, boolean gang,
                                            PlacementStrategy strategy) {
        return new PlacementRequest("default", PlacementRequest.allShards(shards), requirement, gang,
                RoutingStrategy.ROUND_ROBIN, strategy, "job", 0);
    }

    private static PlacementRequest routed(int shards, RoutingStrategy routing, long sequence) {
        return new PlacementRequest("default", PlacementRequest.allShards(shards), null, false, routing,
                PlacementStrategy.PACK, "job", sequence);
    }

    @Test
    void fourOneGpuShardsOnAgentsWithOneTwoAndOneGpusGetFourDistinctDevices() {
        List<ExecutorCard> fleet = List.of(gpus("a", 1), gpus("b", 2), gpus("c", 1));
        PlacementResult result = Placer.place(devices(4, ONE_GPU, false, PlacementStrategy.PACK), ClusterSnapshot.idle(fleet));

        assertThat(result.complete()).isTrue();
        assertThat(result.placed()).extracting(placement -> placement.executorId() + "/" + placement.devices())
                .doesNotHaveDuplicates().hasSize(4);
        assertThat(result.placed().stream().collect(Collectors.groupingBy(ShardPlacement::executorId, Collectors.counting())))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 1L, "b", 2L, "c", 1L));
    }

    @Test
    void aFifthShardWaitsAndSaysWhy() {
        List<ExecutorCard> fleet = List.of(gpus("a", 1), gpus("b", 2), gpus("c", 1));
        ClusterSnapshot busy = new ClusterSnapshot(fleet,
                Map.of("a", Set.of(new DeviceId("GPU", 0)), "b", Set.of(new DeviceId("GPU", 0), new DeviceId("GPU", 1)),
                        "c", Set.of(new DeviceId("GPU", 0))),
                Map.of("a", 1, "b", 2, "c", 1));
        PlacementResult result = Placer.place(devices(1, ONE_GPU, false, PlacementStrategy.PACK), busy);

        assertThat(result.placed()).isEmpty();
        assertThat(result.reason()).contains("0 of 4 matching device(s) free", "1 shard(s) must wait");
    }

    @Test
    void packFillsTheBusyMachineAndKeepsAWholeOneFree() {
        List<ExecutorCard> fleet = List.of(gpus("big", 8), gpus("half", 8));
        ClusterSnapshot snapshot = new ClusterSnapshot(fleet,
                Map.of("half", Set.of(new DeviceId("GPU", 0), new DeviceId("GPU", 1), new DeviceId("GPU", 2), new DeviceId("GPU", 3))),
                Map.of("half", 1));
        PlacementResult pack = Placer.place(devices(2, AcceleratorRequirement.of("GPU", 2), false, PlacementStrategy.PACK), snapshot);
        PlacementResult spread = Placer.place(devices(2, AcceleratorRequirement.of("GPU", 2), false, PlacementStrategy.SPREAD), snapshot);

        assertThat(pack.placed()).extracting(ShardPlacement::executorId).containsOnly("half");
        assertThat(pack.placed()).flatExtracting(ShardPlacement::devices).containsExactly(
                new DeviceId("GPU", 4), new DeviceId("GPU", 5), new DeviceId("GPU", 6), new DeviceId("GPU", 7));
        assertThat(spread.placed()).extracting(ShardPlacement::executorId).contains("big");
    }

    @Test
    void packOpensTheSmallestIdleMachineThatHoldsTheRest() {
        List<ExecutorCard> fleet = List.of(gpus("eight", 8), gpus("two", 2));
        PlacementResult result = Placer.place(devices(2, ONE_GPU, false, PlacementStrategy.PACK), ClusterSnapshot.idle(fleet));
        assertThat(result.placed()).extracting(ShardPlacement::executorId).containsOnly("two");
    }

    @Test
    void packFillsTheSmallMachinesFirstAndLeavesTheRoomOnTheBigOne() {
        List<ExecutorCard> fleet = List.of(gpus("two", 2), gpus("eight", 8), gpus("four", 4));
        PlacementResult result = Placer.place(devices(10, ONE_GPU, false, PlacementStrategy.PACK), ClusterSnapshot.idle(fleet));
        assertThat(result.placed().stream().collect(Collectors.groupingBy(ShardPlacement::executorId, Collectors.counting())))
                .containsExactlyInAnyOrderEntriesOf(Map.of("two", 2L, "four", 4L, "eight", 4L));
    }

    @Test
    void packPutsASmallShardOnAnIdleSmallMachineRatherThanOnABusyBigOne() {
        // The big machine has room, but only it can take an 8-GPU shard once drained; the idle
        // 1-GPU machine fits the shard exactly.
        List<ExecutorCard> fleet = List.of(gpus("big", 8), gpus("one", 1));
        ClusterSnapshot snapshot = new ClusterSnapshot(fleet,
                Map.of("big", Set.of(new DeviceId("GPU", 0), new DeviceId("GPU", 1), new DeviceId("GPU", 2), new DeviceId("GPU", 3))),
                Map.of("big", 1));
        PlacementResult result = Placer.place(devices(1, ONE_GPU, false, PlacementStrategy.PACK), snapshot);
        assertThat(result.placed()).extracting(ShardPlacement::executorId).containsExactly("one");
    }

    @Test
    void spreadPutsEachShardWhereMostDevicesAreFree() {
        List<ExecutorCard> fleet = List.of(gpus("a", 4), gpus("b", 4));
        PlacementResult result = Placer.place(devices(4, ONE_GPU, false, PlacementStrategy.SPREAD), ClusterSnapshot.idle(fleet));
        assertThat(result.placed()).extracting(ShardPlacement::executorId).containsExactly("a", "b", "a", "b");
    }

    @Test
    void gangIsAllOrNothing() {
        List<ExecutorCard> fleet = List.of(gpus("a", 2), gpus("b", 1));
        PlacementResult result = Placer.place(devices(2, AcceleratorRequirement.of("GPU", 2), true, PlacementStrategy.PACK),
                ClusterSnapshot.idle(fleet));
        assertThat(result.placed()).isEmpty();
        assertThat(result.unplaced()).hasSize(2);
        assertThat(result.reason()).startsWith("gang of 2 shard(s) × 2 GPU").contains("room for 1 shard(s)");
    }

    @Test
    void nonGangPlacesWhatFitsAndQueuesTheRest() {
        List<ExecutorCard> fleet = List.of(gpus("a", 2));
        PlacementResult result = Placer.place(devices(3, ONE_GPU, false, PlacementStrategy.PACK), ClusterSnapshot.idle(fleet));
        assertThat(result.placed()).hasSize(2);
        assertThat(result.unplaced()).extracting(PlacementResult.UnplacedShard::shardIndex).containsExactly(2);
    }

    @Test
    void reasonsNameTheFailingConstraint() {
        ClusterSnapshot cpuOnly = ClusterSnapshot.idle(List.of(cpu("c", 4)));
        assertThat(Placer.place(devices(1, ONE_GPU, false, PlacementStrategy.PACK), cpuOnly).reason())
                .isEqualTo("no executor in group 'default' has a GPU device");

        ClusterSnapshot a100s = ClusterSnapshot.idle(List.of(gpus("a", 2, "NVIDIA A100-SXM4-40GB", 40960, 4)));
        assertThat(Placer.place(devices(1, AcceleratorRequirement.parse("GPU:1:H100"), false, PlacementStrategy.PACK), a100s).reason())
                .isEqualTo("no GPU in group 'default' matches model 'H100'; seen: 2 × NVIDIA A100-SXM4-40GB 40960 MiB");
        assertThat(Placer.place(devices(1, AcceleratorRequirement.parse("GPU:1::80000"), false, PlacementStrategy.PACK), a100s).reason())
                .contains("matches ≥ 80000 MiB");
        assertThat(Placer.place(devices(1, AcceleratorRequirement.of("GPU", 4), false, PlacementStrategy.PACK), a100s).reason())
                .contains("needs 4 GPU on one executor", "has more than 2");

        assertThat(Placer.place(routed(1, RoutingStrategy.FIRST, 0).withGroup("gpu-farm"), cpuOnly).reason())
                .isEqualTo("no live executor in group 'gpu-farm'");
    }

    @Test
    void slotsLimitHowManyShardsAnExecutorTakes() {
        List<ExecutorCard> fleet = List.of(gpus("a", 8, "T4", 15360, 2));
        PlacementResult result = Placer.place(devices(3, ONE_GPU, false, PlacementStrategy.PACK), ClusterSnapshot.idle(fleet));
        assertThat(result.placed()).hasSize(2);
        assertThat(result.reason()).contains("free executor slots: 2");
    }

    @Test
    void otherGroupsAreIgnored() {
        ExecutorCard elsewhere = new ExecutorCard("x", "other", "x:1", gpus("x", 4).devices(), 8, Map.of(), "t");
        PlacementResult result = Placer.place(devices(1, ONE_GPU, false, PlacementStrategy.PACK),
                ClusterSnapshot.idle(List.of(elsewhere)));
        assertThat(result.placed()).isEmpty();
    }

    @Test
    void firstAlwaysPicksTheFirstExecutorWithAFreeSlot() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(cpu("a", 1), cpu("b", 4)), Map.of(), Map.of("a", 1));
        assertThat(Placer.place(routed(2, RoutingStrategy.FIRST, 0), snapshot).placed())
                .extracting(ShardPlacement::executorId).containsExactly("b", "b");
    }

    @Test
    void roundRobinContinuesFromTheSequence() {
        ClusterSnapshot snapshot = ClusterSnapshot.idle(List.of(cpu("a", 9), cpu("b", 9), cpu("c", 9)));
        assertThat(Placer.place(routed(1, RoutingStrategy.ROUND_ROBIN, 0), snapshot).placed().get(0).executorId()).isEqualTo("a");
        assertThat(Placer.place(routed(1, RoutingStrategy.ROUND_ROBIN, 1), snapshot).placed().get(0).executorId()).isEqualTo("b");
        assertThat(Placer.place(routed(3, RoutingStrategy.ROUND_ROBIN, 2), snapshot).placed())
                .extracting(ShardPlacement::executorId).containsExactly("c", "a", "b");
    }

    @Test
    void randomIsReproducibleFromTheSequence() {
        ClusterSnapshot snapshot = ClusterSnapshot.idle(List.of(cpu("a", 99), cpu("b", 99), cpu("c", 99)));
        PlacementResult first = Placer.place(routed(20, RoutingStrategy.RANDOM, 42), snapshot);
        assertThat(Placer.place(routed(20, RoutingStrategy.RANDOM, 42), snapshot)).isEqualTo(first);
        assertThat(first.placed()).extracting(ShardPlacement::executorId).contains("a", "b", "c");
    }

    @Test
    void leastBusyBalancesRunningShards() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(cpu("a", 9), cpu("b", 9)), Map.of(), Map.of("a", 3));
        assertThat(Placer.place(routed(4, RoutingStrategy.LEAST_BUSY, 0), snapshot).placed())
                .extracting(ShardPlacement::executorId).containsExactly("b", "b", "b", "a");
    }

    @Test
    void consistentHashMovesOnlyTheShardsOfAnExecutorThatLeft() {
        List<ExecutorCard> four = List.of(cpu("a", 999), cpu("b", 999), cpu("c", 999), cpu("d", 999));
        PlacementResult before = Placer.place(routed(200, RoutingStrategy.CONSISTENT_HASH, 0), ClusterSnapshot.idle(four));
        PlacementResult after = Placer.place(routed(200, RoutingStrategy.CONSISTENT_HASH, 7), ClusterSnapshot.idle(four.subList(0, 3)));

        assertThat(before.placed()).extracting(ShardPlacement::executorId).contains("a", "b", "c", "d");
        for (int shard = 0; shard < 200; shard++) {
            String was = before.placed().get(shard).executorId();
            if (!was.equals("d")) {
                assertThat(after.placed().get(shard).executorId()).as("shard %d", shard).isEqualTo(was);
            }
        }
    }

    @Test
    void broadcastPutsOneShardOnEveryExecutor() {
        ClusterSnapshot snapshot = ClusterSnapshot.idle(List.of(cpu("a", 1), cpu("b", 1), cpu("c", 1)));
        PlacementResult result = Placer.place(routed(1, RoutingStrategy.SHARDING_BROADCAST, 0), snapshot);
        assertThat(result.placed()).extracting(placement -> placement.shardIndex() + "@" + placement.executorId())
                .containsExactly("0@a", "1@b", "2@c");
    }

    @Test
    void noFreeSlotAnywhereLeavesShardsUnplaced() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(cpu("a", 1)), Map.of(), Map.of("a", 1));
        PlacementResult result = Placer.place(routed(2, RoutingStrategy.ROUND_ROBIN, 0), snapshot);
        assertThat(result.placed()).isEmpty();
        assertThat(result.reason()).contains("have 0 free");
    }

    @Test
    void visibleDevicesAreCommaSeparatedIndices() {
        ShardPlacement placement = new ShardPlacement(0, "a", "a:1", List.of(new DeviceId("GPU", 2), new DeviceId("GPU", 5)));
        assertThat(placement.visibleDevices()).isEqualTo("2,5");
    }
}
