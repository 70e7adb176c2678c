package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.RoutingStrategy;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static io.tessera.core.placement.Fleet.gpus;
import static org.assertj.core.api.Assertions.assertThat;

class PreemptionTest {

    private static PlacementRequest request(int shards, int gpusPerShard) {
        return new PlacementRequest("default", PlacementRequest.allShards(shards), AcceleratorRequirement.of("GPU", gpusPerShard),
                shards > 1, RoutingStrategy.FIRST, PlacementStrategy.PACK, "urgent", 0);
    }

    private static List<DeviceId> gpusFrom(int first, int count) {
        return IntStream.range(first, first + count).mapToObj(i -> new DeviceId("GPU", i)).toList();
    }

    private static PreemptionCandidate shard(String key, String executor, int first, int count, double lostSeconds) {
        return new PreemptionCandidate(key, List.of(new PreemptionCandidate.Held(executor, gpusFrom(first, count))), lostSeconds);
    }

    /** The cluster with every candidate's devices busy. */
    private static ClusterSnapshot busy(List<ExecutorCard> fleet, List<PreemptionCandidate> candidates) {
        Map<String, Set<DeviceId>> busy = new HashMap<>();
        Map<String, Integer> running = new HashMap<>();
        for (PreemptionCandidate candidate : candidates) {
            for (PreemptionCandidate.Held held : candidate.held()) {
                busy.computeIfAbsent(held.executorId(), id -> new HashSet<>()).addAll(held.devices());
                running.merge(held.executorId(), 1, Integer::sum);
            }
        }
        return new ClusterSnapshot(fleet, busy, running);
    }

    @Test
    void stopsTheWorkThatLosesTheLeastDeviceTimeAmongWhatMakesRoom() {
        List<ExecutorCard> fleet = List.of(gpus("a", 4), gpus("b", 4));
        List<PreemptionCandidate> running = List.of(
                shard("old on a", "a", 0, 4, 40_000),
                shard("young on b, half", "b", 0, 2, 100),
                shard("young on b, other half", "b", 2, 2, 200));

        Preemption.Plan plan = Preemption.plan(request(1, 4), busy(fleet, running), running).orElseThrow();

        assertThat(plan.victims()).extracting(PreemptionCandidate::key)
                .containsExactlyInAnyOrder("young on b, half", "young on b, other half");
        assertThat(plan.executors()).containsExactly("b");
        assertThat(plan.lostDeviceSeconds()).isEqualTo(300);
        assertThat(plan.placement().complete()).isTrue();
    }

    @Test
    void givesBackCandidatesThePlacementDoesNotNeed() {
        List<ExecutorCard> fleet = List.of(gpus("a", 2), gpus("b", 4));
        // Cheapest first would take the shard on a, which alone makes no room for 4 GPUs; the pruning drops it.
        List<PreemptionCandidate> running = List.of(shard("cheap on a", "a", 0, 2, 10), shard("all of b", "b", 0, 4, 500));

        Preemption.Plan plan = Preemption.plan(request(1, 4), busy(fleet, running), running).orElseThrow();

        assertThat(plan.victims()).extracting(PreemptionCandidate::key).containsExactly("all of b");
    }

    @Test
    void aGangIsStoppedWholeOrNotAtAll() {
        List<ExecutorCard> fleet = List.of(gpus("a", 4), gpus("b", 4));
        PreemptionCandidate gang = new PreemptionCandidate("gang", List.of(
                new PreemptionCandidate.Held("a", gpusFrom(0, 4)), new PreemptionCandidate.Held("b", gpusFrom(0, 4))), 8_000);
        List<PreemptionCandidate> running = List.of(gang);

        Preemption.Plan plan = Preemption.plan(request(1, 4), busy(fleet, running), running).orElseThrow();

        assertThat(plan.victims()).containsExactly(gang);
        assertThat(plan.lostDeviceSeconds()).isEqualTo(8_000);
    }

    @Test
    void nothingWhenEvenStoppingEveryCandidateMakesNoRoom() {
        List<ExecutorCard> fleet = List.of(gpus("a", 4), gpus("b", 4));
        PreemptionCandidate allowed = shard("allowed", "a", 0, 4, 10);
        PreemptionCandidate protectedOne = shard("not preemptible", "b", 0, 4, 10);
        ClusterSnapshot snapshot = busy(fleet, List.of(allowed, protectedOne));

        assertThat(Preemption.plan(request(2, 4), snapshot, List.of(allowed))).isEmpty();
        assertThat(Preemption.plan(request(1, 8), snapshot, List.of(allowed))).isEmpty();
        assertThat(Preemption.plan(request(1, 4), snapshot, List.of())).isEmpty();
    }

    @Test
    void theChosenVictimsAreExactlyEnoughWhateverTheirCosts() {
        List<ExecutorCard> fleet = List.of(gpus("a", 8), gpus("b", 8), gpus("c", 8));
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        for (int round = 0; round < 200; round++) {
            List<PreemptionCandidate> running = new java.util.ArrayList<>();
            for (String executor : List.of("a", "b", "c")) {
                for (int first = 0; first < 8; first += 2) {
                    running.add(shard(executor + first, executor, first, 2, random.nextInt(1, 10_000)));
                }
            }
            int gpus = 2 * random.nextInt(1, 5);
            ClusterSnapshot snapshot = busy(fleet, running);
            Preemption.Plan plan = Preemption.plan(request(1, gpus), snapshot, running).orElseThrow();

            assertThat(plan.victims()).hasSize(gpus / 2);
            assertThat(plan.executors()).hasSize(1);
            for (PreemptionCandidate victim : plan.victims()) {
                List<PreemptionCandidate> without = new java.util.ArrayList<>(plan.victims());
                without.remove(victim);
                List<PreemptionCandidate.Held> freed = without.stream().flatMap(v -> v.held().stream()).toList();
                assertThat(Placer.place(request(1, gpus), snapshot.freeing(freed)).complete())
                        .as("round %d: without %s there is no room", round, victim.key()).isFalse();
            }
        }
    }
}
