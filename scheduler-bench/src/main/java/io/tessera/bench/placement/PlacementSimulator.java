package io.tessera.bench.placement;

import io.tessera.core.placement.PlacementStrategy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every trace under every policy and queue discipline and writes the report and its charts:
 * {@code java -cp scheduler-bench/target/scheduler-bench.jar io.tessera.bench.placement.PlacementSimulator [dir]}
 * (default {@code docs/placement}). Deterministic: the traces are seeded.
 */
public final class PlacementSimulator {

    static final long SEED = 14;
    static final int RUNS = 2000;
    static final double LOAD = 1.1;
    /** The target: PACK's device-hours at most this far above the lower bound on the mixed trace. */
    static final double TARGET = 0.05;
    /** How many further seeds of the mixed trace PACK is run on, to show how much one seed's numbers move. */
    static final int OTHER_SEEDS = 3;

    private PlacementSimulator() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/placement");
        List<Trace> traces = List.of(SyntheticTrace.generate(SEED, RUNS, LOAD), PhillyShapeTrace.generate(SEED, RUNS, LOAD));
        List<TraceResults> results = new ArrayList<>();
        for (Trace trace : traces) {
            double bound = LowerBound.deviceHours(trace);
            List<SimOutcome> outcomes = new ArrayList<>();
            for (Queueing queueing : Queueing.values()) {
                for (Policy policy : Policy.all()) {
                    SimOutcome outcome = Simulation.run(trace, policy, queueing);
                    outcomes.add(outcome);
                    System.out.printf(Locale.ROOT, "%-13s %-30s %-14s %6.1f %% above the bound, %5.2f fragmented executors%n",
                            trace.name(), queueing.label(), policy.name(), 100 * (outcome.usedDeviceHours() / bound - 1),
                            outcome.meanFragmentedExecutors());
                }
            }
            results.add(new TraceResults(trace, bound, outcomes));
        }
        List<SeedResults> otherSeeds = new ArrayList<>();
        for (long seed = SEED + 1; seed <= SEED + OTHER_SEEDS; seed++) {
            Trace trace = SyntheticTrace.generate(seed, RUNS, LOAD);
            double bound = LowerBound.deviceHours(trace);
            List<Double> aboveBound = new ArrayList<>();
            for (Queueing queueing : Queueing.values()) {
                aboveBound.add(Simulation.run(trace, Policy.placer(PlacementStrategy.PACK), queueing).usedDeviceHours() / bound - 1);
            }
            System.out.printf(Locale.ROOT, "mixed seed %d: PACK above the bound %s%n", seed, aboveBound);
            otherSeeds.add(new SeedResults(seed, aboveBound));
        }
        PlacementReport.write(results, dir, ReportText.preamble(results, otherSeeds));
        System.out.println("wrote " + dir.resolve("README.md"));
    }

    /** PACK above the bound on the mixed trace drawn from another seed, per queue discipline in declaration order. */
    record SeedResults(long seed, List<Double> aboveBound) {
    }

    /** One trace's bound and its outcomes. */
    record TraceResults(Trace trace, double boundDeviceHours, List<SimOutcome> outcomes) {
    }
}
