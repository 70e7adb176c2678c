package io.tessera.bench.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.ExecutorCard;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A trace with the shape of Microsoft's Philly cluster (Jeon et al., "Analysis of Large-Scale
 * Multi-Tenant GPU Clusters for DNN Training Workloads", USENIX ATC 2019), as the Gavel simulator
 * encodes the Philly distributions (stanford-futuredata/gavel, scheduler/utils.py,
 * {@code _generate_scale_factor} and {@code _generate_duration}): GPUs per job 1 (70 %), 2 (10 %),
 * 4 (15 %), 8 (5 %); duration 10^U(1.5, 3) minutes for 80 % of jobs and 10^U(3, 4) minutes for 20 %;
 * a fifth of the jobs at a higher priority, as Gavel's multi-priority option draws them. Philly's
 * machines had 2 or 8 GPUs (12 GB and 24 GB); the counts of each here are ours.
 */
public final class PhillyShapeTrace {

    private PhillyShapeTrace() {
    }

    public static List<ExecutorCard> cluster() {
        List<ExecutorCard> cluster = new ArrayList<>();
        Clusters.add(cluster, 12, 8, "Tesla P40", 24_576);
        Clusters.add(cluster, 16, 2, "Tesla P100-PCIE-12GB", 12_288);
        return cluster;
    }

    public static Trace generate(long seed, int count, double load) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ExecutorCard> cluster = cluster();
        int[] gpus = new int[count];
        double[] durations = new double[count];
        int[] priorities = new int[count];
        double demand = 0;
        for (int i = 0; i < count; i++) {
            gpus[i] = gpus(random.nextDouble());
            durations[i] = minutes(random) / 60.0;
            priorities[i] = random.nextDouble() < 0.2 ? 1 : 0;
            demand += gpus[i] * durations[i];
        }
        int capacity = cluster.stream().mapToInt(card -> card.devices().size()).sum();
        double[] arrivals = Arrivals.times(random, count, demand, capacity, load);
        List<SimRun> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(new SimRun(i, arrivals[i], durations[i], 1, AcceleratorRequirement.of("GPU", gpus[i]), priorities[i]));
        }
        String description = "seed " + seed + ", " + count + " runs, offered load " + load + " × capacity while runs arrive; "
                + "cluster 12×8 P40-24GB, 16×2 P100-12GB (128 GPUs); each job one shard (Philly placed a job of up to 8 GPUs on one machine)";
        return new Trace("philly-shape", description, cluster, runs);
    }

    static int gpus(double u) {
        if (u < 0.70) {
            return 1;
        } else if (u < 0.80) {
            return 2;
        } else if (u < 0.95) {
            return 4;
        }
        return 8;
    }

    static double minutes(SplittableRandom random) {
        boolean longJob = random.nextDouble() >= 0.8;
        double exponent = longJob ? 3 + random.nextDouble() : 1.5 + 1.5 * random.nextDouble();
        return Math.pow(10, exponent);
    }
}
