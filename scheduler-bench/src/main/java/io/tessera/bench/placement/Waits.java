package io.tessera.bench.placement;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Wait statistics (hours from arrival to start) for groups of runs. */
public record Waits(int count, double mean, double p95) {

    /** The size groups of the report: total GPUs of a run. */
    public static final Map<String, Predicate<SimRun>> BY_SIZE = sizes();

    public static Waits of(SimOutcome outcome, Predicate<SimRun> which) {
        double[] waits = outcome.trace().runs().stream().filter(which).mapToDouble(outcome::wait).sorted().toArray();
        if (waits.length == 0) {
            return new Waits(0, Double.NaN, Double.NaN);
        }
        return new Waits(waits.length, Arrays.stream(waits).average().orElseThrow(), percentile(waits, 0.95));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static Map<String, Predicate<SimRun>> sizes() {
        Map<String, Predicate<SimRun>> sizes = new LinkedHashMap<>();
        for (int gpus : List.of(1, 2, 4, 8)) {
            sizes.put(gpus + " GPU", run -> run.devices() == gpus);
        }
        sizes.put("> 8 GPU", run -> run.devices() > 8);
        return sizes;
    }
}
