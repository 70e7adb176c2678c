package io.tessera.bench.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.ExecutorCard;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The mixed trace: a heterogeneous cluster (8-, 4-, 2- and 1-GPU executors of three models and four
 * memory sizes) and runs of 1, 2, 4 and 8 GPUs, a tenth of them gangs of several shards, some
 * needing large-memory GPUs, with lognormal durations and three priority levels. All from one seed.
 */
public final class SyntheticTrace {

    /** Durations: lognormal with this median (hours) and sigma, cut at the maximum a run may last. */
    static final double MEDIAN_HOURS = 1.5;
    static final double SIGMA = 1.3;
    static final double MIN_HOURS = 0.05;
    static final double MAX_HOURS = 36;

    private SyntheticTrace() {
    }

    public static List<ExecutorCard> cluster() {
        List<ExecutorCard> cluster = new ArrayList<>();
        Clusters.add(cluster, 8, 8, "NVIDIA A100-SXM4-80GB", 81_920);
        Clusters.add(cluster, 6, 4, "NVIDIA A100-PCIE-40GB", 40_960);
        Clusters.add(cluster, 8, 2, "Tesla V100-SXM2-32GB", 32_768);
        Clusters.add(cluster, 8, 1, "Tesla V100-PCIE-16GB", 16_384);
        return cluster;
    }

    public static Trace generate(long seed, int count, double load) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ExecutorCard> cluster = cluster();
        int[][] shapes = new int[count][];
        double[] durations = new double[count];
        long[] memory = new long[count];
        int[] priorities = new int[count];
        double demand = 0;
        for (int i = 0; i < count; i++) {
            shapes[i] = shape(random.nextDouble());
            durations[i] = lognormal(random);
            memory[i] = memory(random.nextDouble());
            priorities[i] = priority(random.nextDouble());
            demand += shapes[i][0] * shapes[i][1] * durations[i];
        }
        int capacity = cluster.stream().mapToInt(card -> card.devices().size()).sum();
        double[] arrivals = Arrivals.times(random, count, demand, capacity, load);
        List<SimRun> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AcceleratorRequirement requirement = new AcceleratorRequirement("GPU", shapes[i][1], null, memory[i]);
            runs.add(new SimRun(i, arrivals[i], durations[i], shapes[i][0], requirement, priorities[i]));
        }
        String description = "seed " + seed + ", " + count + " runs, offered load " + load + " × capacity while runs arrive; "
                + "cluster 8×8 A100-80GB, 6×4 A100-40GB, 8×2 V100-32GB, 8×1 V100-16GB (112 GPUs)";
        return new Trace("mixed", description, cluster, runs);
    }

    /** {shards, GPUs per shard}: 45 % 1 GPU, 20 % 2, 15 % 4, 10 % 8, 10 % gangs (2×4, 4×2, 2×8, 3×8). */
    static int[] shape(double u) {
        if (u < 0.45) {
            return new int[] {1, 1};
        } else if (u < 0.65) {
            return new int[] {1, 2};
        } else if (u < 0.80) {
            return new int[] {1, 4};
        } else if (u < 0.90) {
            return new int[] {1, 8};
        } else if (u < 0.94) {
            return new int[] {2, 4};
        } else if (u < 0.97) {
            return new int[] {4, 2};
        } else if (u < 0.99) {
            return new int[] {2, 8};
        }
        return new int[] {3, 8};
    }

    /** 80 % any GPU, 15 % at least 40 GB (the A100s), 5 % at least 80 GB (the 8-GPU A100s). */
    static long memory(double u) {
        if (u < 0.80) {
            return 0;
        }
        return u < 0.95 ? 40_000 : 80_000;
    }

    /** 70 % priority 0, 25 % priority 1, 5 % priority 2. */
    static int priority(double u) {
        if (u < 0.70) {
            return 0;
        }
        return u < 0.95 ? 1 : 2;
    }

    static double lognormal(SplittableRandom random) {
        double gaussian = gaussian(random);
        double hours = MEDIAN_HOURS * Math.exp(SIGMA * gaussian);
        return Math.min(MAX_HOURS, Math.max(MIN_HOURS, hours));
    }

    /** Box–Muller: SplittableRandom has no nextGaussian on Java 17. */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
