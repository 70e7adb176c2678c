package io.tessera.bench.placement;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Arrival times for a trace: a Poisson process conditioned on its count (sorted uniform times)
 * over a window chosen so that the trace offers {@code load} times the cluster's capacity while
 * runs arrive. A load above 1 makes a queue build, so placement decides how well capacity is used.
 */
final class Arrivals {

    private Arrivals() {
    }

    static double[] times(SplittableRandom random, int count, double demandDeviceHours, int capacity, double load) {
        double window = demandDeviceHours / (capacity * load);
        double[] times = new double[count];
        for (int i = 0; i < count; i++) {
            times[i] = random.nextDouble() * window;
        }
        Arrays.sort(times);
        double first = times[0];
        for (int i = 0; i < count; i++) {
            times[i] -= first;
        }
        return times;
    }
}
