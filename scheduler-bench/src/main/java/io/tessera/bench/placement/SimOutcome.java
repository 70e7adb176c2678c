package io.tessera.bench.placement;

/**
 * What one simulation recorded.
 *
 * @param starts                      per run id, the hour its shards started
 * @param wholeMachineWaitHours       hours during which at least one run with an 8-GPU shard waited
 * @param fragmentedExecutorHours     the integral, over those hours, of the number of executors that
 *                                    could hold that 8-GPU shard if empty but are partly used
 * @param idleWhileWaitingDeviceHours the integral of free devices over the hours in which some run waited
 */
public record SimOutcome(Trace trace, String policy, Queueing queueing, double[] starts, double wholeMachineWaitHours,
                         double fragmentedExecutorHours, double idleWhileWaitingDeviceHours) {

    public double wait(SimRun run) {
        return starts[run.id()] - run.arrivalHours();
    }

    public double end(SimRun run) {
        return starts[run.id()] + run.durationHours();
    }

    public double firstArrival() {
        return trace.runs().stream().mapToDouble(SimRun::arrivalHours).min().orElse(0);
    }

    /** Last end minus first arrival, hours. */
    public double makespan() {
        return trace.runs().stream().mapToDouble(this::end).max().orElse(0) - firstArrival();
    }

    /** The cluster's device-hours from the first arrival to the last end: what serving the trace held. */
    public double usedDeviceHours() {
        return trace.capacity() * makespan();
    }

    /** Time-averaged count of fragmented executors while an 8-GPU run waited (0 when none waited). */
    public double meanFragmentedExecutors() {
        return wholeMachineWaitHours == 0 ? 0 : fragmentedExecutorHours / wholeMachineWaitHours;
    }
}
