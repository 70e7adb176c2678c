package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.RoutingStrategy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tessera.core.placement.Fleet.gpus;
import static org.assertj.core.api.Assertions.assertThat;

class ReservationTest {

    private static PlacementRequest gang(int shards, int gpusPerShard) {
        return new PlacementRequest("default", PlacementRequest.allShards(shards), AcceleratorRequirement.of("GPU", gpusPerShard),
                shards > 1, RoutingStrategy.FIRST, PlacementStrategy.PACK, "job", 0);
    }

    private static Set<DeviceId> first(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> new DeviceId("GPU", i))
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void holdsTheMachinesClosestToDrainedThatTogetherFitTheGang() {
        List<ExecutorCard> fleet = List.of(gpus("busy", 8), gpus("half", 8), gpus("one", 8), gpus("small", 4));
        ClusterSnapshot snapshot = new ClusterSnapshot(fleet, Map.of("busy", first(7), "half", first(4), "one", first(1)),
                Map.of("busy", 7, "half", 4, "one", 1));

        assertThat(Reservation.executorsFor(gang(2, 8), snapshot, Set.of())).containsExactlyInAnyOrder("one", "half");
    }

    @Test
    void prefersTheSmallestMachineThatHoldsTheShard() {
        List<ExecutorCard> fleet = List.of(gpus("eight", 8), gpus("four", 4), gpus("two", 2));
        ClusterSnapshot snapshot = new ClusterSnapshot(fleet, Map.of("eight", first(1), "four", first(1), "two", first(1)),
                Map.of("eight", 1, "four", 1, "two", 1));

        assertThat(Reservation.executorsFor(gang(1, 4), snapshot, Set.of())).containsExactly("four");
    }

    @Test
    void skipsMachinesAlreadyHeldAndHoldsNothingWhenTheRestCannotFit() {
        List<ExecutorCard> fleet = List.of(gpus("a", 8), gpus("b", 8));
        ClusterSnapshot snapshot = ClusterSnapshot.idle(fleet);

        assertThat(Reservation.executorsFor(gang(1, 8), snapshot, Set.of("a"))).containsExactly("b");
        assertThat(Reservation.executorsFor(gang(2, 8), snapshot, Set.of("a"))).isEmpty();
    }

    @Test
    void aSnapshotWithoutTheHeldMachinesPlacesNothingOnThem() {
        List<ExecutorCard> fleet = List.of(gpus("held", 8), gpus("free", 2));
        ClusterSnapshot snapshot = ClusterSnapshot.idle(fleet).without(Set.of("held"));

        PlacementResult result = Placer.place(gang(1, 4), snapshot);
        assertThat(result.placed()).isEmpty();
        assertThat(Placer.place(gang(1, 2), snapshot).placed()).extracting(ShardPlacement::executorId).containsExactly("free");
    }
}
