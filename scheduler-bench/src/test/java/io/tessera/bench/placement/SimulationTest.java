package io.tessera.bench.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.placement.ClusterSnapshot;
import io.tessera.core.placement.PlacementRequest;
import io.tessera.core.placement.PlacementStrategy;
import io.tessera.core.placement.ShardPlacement;
import io.tessera.core.model.RoutingStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tiny traces whose measures are worked out by hand in each test's comment. */
class SimulationTest {

    private static final Policy PACK = Policy.placer(PlacementStrategy.PACK);

    private static SimRun run(int id, double arrival, double duration, String requirement, int priority) {
        return new SimRun(id, arrival, duration, 1, AcceleratorRequirement.parse(requirement), priority);
    }

    private static List<ExecutorCard> cluster(int... gpusPerExecutor) {
        List<ExecutorCard> cluster = new ArrayList<>();
        for (int gpus : gpusPerExecutor) {
            Clusters.add(cluster, 1, gpus, "NVIDIA A100-SXM4-80GB", 81_920);
        }
        return cluster;
    }

    @Test
    void anEightGpuRunWaitsBehindOneGpuAndEveryMeasureFollows() {
        // One 8-GPU executor. A (1 GPU, 2 h) and B (8 GPUs, 1 h) arrive at 0; A is first in the queue.
        // A runs 0-2; B waits until 2 and runs 2-3. Makespan 3 h, used 8 × 3 = 24 device-hours.
        // Bound: max(arrival + duration) = 2 h beats demand ÷ capacity = 10 ÷ 8 = 1.25 h, so 16 device-hours.
        // B waits 2 h with the executor partly used (1 of 8): 2 fragmented executor-hours, 7 × 2 = 14 idle device-hours.
        Trace trace = new Trace("t", "", cluster(8), List.of(run(0, 0, 2, "GPU:1", 0), run(1, 0, 1, "GPU:8", 0)));

        SimOutcome outcome = Simulation.run(trace, PACK, Queueing.FIFO_SKIP);

        assertThat(outcome.starts()).containsExactly(0.0, 2.0);
        assertThat(outcome.makespan()).isEqualTo(3.0);
        assertThat(outcome.usedDeviceHours()).isEqualTo(24.0);
        assertThat(LowerBound.lastEnd(trace)).isEqualTo(2.0);
        assertThat(LowerBound.deviceHours(trace)).isEqualTo(16.0);
        assertThat(outcome.wholeMachineWaitHours()).isEqualTo(2.0);
        assertThat(outcome.fragmentedExecutorHours()).isEqualTo(2.0);
        assertThat(outcome.meanFragmentedExecutors()).isEqualTo(1.0);
        assertThat(outcome.idleWhileWaitingDeviceHours()).isEqualTo(14.0);
        assertThat(Waits.of(outcome, SimRun::wholeMachineShard)).isEqualTo(new Waits(1, 2.0, 2.0));
    }

    @Test
    void aReservationStopsALaterSmallRunFromDelayingABlockedBigOne() {
        // One 8-GPU executor. A (1 GPU, 0-2 h), B (8 GPUs, 1 h) at 0.5, C (1 GPU, 5 h) at 1.
        // Skipping: C starts at 1 beside A, so B waits for C: B 6-7. With B's reservation, C may not
        // use the executor B waits for: B 2-3, C 3-8. Strict FIFO keeps C behind B the same way.
        List<SimRun> runs = List.of(run(0, 0, 2, "GPU:1", 0), run(1, 0.5, 1, "GPU:8", 0), run(2, 1, 5, "GPU:1", 0));
        Trace trace = new Trace("t", "", cluster(8), runs);

        SimOutcome skip = Simulation.run(trace, PACK, Queueing.FIFO_SKIP);
        SimOutcome reserve = Simulation.run(trace, PACK, Queueing.RESERVE);
        SimOutcome strict = Simulation.run(trace, PACK, Queueing.STRICT_FIFO);

        assertThat(skip.starts()).containsExactly(0.0, 6.0, 1.0);
        assertThat(skip.makespan()).isEqualTo(7.0);
        assertThat(reserve.starts()).containsExactly(0.0, 2.0, 3.0);
        assertThat(reserve.makespan()).isEqualTo(8.0);
        assertThat(strict.starts()).containsExactly(0.0, 2.0, 3.0);
        assertThat(reserve.wait(runs.get(1))).isEqualTo(1.5);
        assertThat(skip.wait(runs.get(1))).isEqualTo(5.5);
    }

    @Test
    void agingPutsRunsThatWaitedADayAheadOfYoungerHigherPriorities() {
        // One 1-GPU executor. A (priority 0) runs 0-30 h; 1-hour runs queue behind it: B at 1
        // (priority 0), C at 2 (priority 1), D at 20 (priority 1). At 30 B and C have waited 24 h
        // or more, D has not. Aging: the aged first, oldest first (B 30, C 31), then D 32.
        // Without aging, priority then age: C 30, D 31, B 32.
        List<SimRun> runs = List.of(run(0, 0, 30, "GPU:1", 0), run(1, 1, 1, "GPU:1", 0), run(2, 2, 1, "GPU:1", 1),
                run(3, 20, 1, "GPU:1", 1));
        Trace trace = new Trace("t", "", cluster(1), runs);

        assertThat(Simulation.run(trace, PACK, Queueing.RESERVE_AGING).starts()).containsExactly(0.0, 30.0, 31.0, 32.0);
        assertThat(Simulation.run(trace, PACK, Queueing.RESERVE).starts()).containsExactly(0.0, 32.0, 30.0, 31.0);
    }

    @Test
    void higherPriorityGoesFirstThenTheOlder() {
        // One 1-GPU executor, 1-hour runs: A at 0, B at 0.5 (priority 0), C at 0.7 (priority 1).
        // A 0-1; at 1 C overtakes B: C 1-2, B 2-3.
        List<SimRun> runs = List.of(run(0, 0, 1, "GPU:1", 0), run(1, 0.5, 1, "GPU:1", 0), run(2, 0.7, 1, "GPU:1", 1));

        SimOutcome outcome = Simulation.run(new Trace("t", "", cluster(1), runs), PACK, Queueing.FIFO_SKIP);

        assertThat(outcome.starts()).containsExactly(0.0, 2.0, 1.0);
    }

    @Test
    void aGangStartsWholeAndItsWaitIsCounted() {
        // Two 4-GPU executors. A (1 GPU, 0-3 h); a gang G of 2 × 4 GPUs at 1 h for 1 h needs both
        // executors whole, so it waits until 3 and runs 3-4.
        List<SimRun> runs = List.of(run(0, 0, 3, "GPU:1", 0),
                new SimRun(1, 1, 1, 2, AcceleratorRequirement.of("GPU", 4), 0));

        SimOutcome outcome = Simulation.run(new Trace("t", "", cluster(4, 4), runs), PACK, Queueing.FIFO_SKIP);

        assertThat(outcome.starts()).containsExactly(0.0, 3.0);
        assertThat(Waits.of(outcome, SimRun::gang)).isEqualTo(new Waits(1, 2.0, 2.0));
    }

    @Test
    void theBoundCountsRunsConfinedToTheMachinesThatCanHoldThem() {
        // An 8-GPU executor and four 1-GPU ones (12 GPUs). Four 8-GPU runs of 1 h at 0 fit only on
        // the big one: 32 device-hours ÷ 8 = 4 h, more than 32 ÷ 12 and than any arrival + duration.
        List<SimRun> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(run(i, 0, 1, "GPU:8", 0));
        }
        Trace trace = new Trace("t", "", cluster(8, 1, 1, 1, 1), runs);

        assertThat(LowerBound.lastEnd(trace)).isEqualTo(4.0);
        assertThat(Simulation.run(trace, PACK, Queueing.FIFO_SKIP).makespan()).isEqualTo(4.0);
    }

    @Test
    void firstFitTakesTheFirstExecutorAndBestFitTheTightest() {
        List<ExecutorCard> fleet = cluster(8, 1);
        PlacementRequest oneGpu = new PlacementRequest(Trace.GROUP, List.of(0), AcceleratorRequirement.of("GPU", 1), false,
                RoutingStrategy.FIRST, PlacementStrategy.PACK, "r", 0);

        List<ShardPlacement> first = new GreedyFit(GreedyFit.Rule.FIRST_FIT).place(oneGpu, ClusterSnapshot.idle(fleet)).placed();
        List<ShardPlacement> best = new GreedyFit(GreedyFit.Rule.BEST_FIT).place(oneGpu, ClusterSnapshot.idle(fleet)).placed();

        assertThat(first).extracting(ShardPlacement::executorId).containsExactly(fleet.get(0).id());
        assertThat(best).extracting(ShardPlacement::executorId).containsExactly(fleet.get(1).id());
    }

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = new double[20];
        for (int i = 0; i < 20; i++) {
            sorted[i] = i + 1;
        }
        assertThat(Waits.percentile(sorted, 0.95)).isEqualTo(19.0);
        assertThat(Waits.percentile(new double[] {4.0}, 0.95)).isEqualTo(4.0);
    }

    @Test
    void tracesAreReproducibleFromTheirSeed() {
        Trace a = SyntheticTrace.generate(7, 200, 1.1);
        Trace b = SyntheticTrace.generate(7, 200, 1.1);
        assertThat(a.runs()).isEqualTo(b.runs());
        assertThat(PhillyShapeTrace.generate(7, 200, 1.1).runs()).isEqualTo(PhillyShapeTrace.generate(7, 200, 1.1).runs());
        double demand = a.runs().stream().mapToDouble(SimRun::deviceHours).sum();
        double lastArrival = a.runs().stream().mapToDouble(SimRun::arrivalHours).max().orElseThrow();
        // The arrival window offers 1.1 × capacity: demand ÷ (capacity × 1.1), less the first gap.
        assertThat(lastArrival).isLessThanOrEqualTo(demand / (a.capacity() * 1.1)).isGreaterThan(0.9 * demand / (a.capacity() * 1.1));
        assertThat(a.runs()).allSatisfy(run -> assertThat(run.durationHours()).isBetween(SyntheticTrace.MIN_HOURS, SyntheticTrace.MAX_HOURS));
    }
}
