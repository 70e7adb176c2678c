package io.tessera.bench.placement;

import io.tessera.core.model.AcceleratorRequirement;

/**
 * One run of a trace: {@code shards} shards of {@code requirement.count()} devices each, placed
 * all-or-nothing when there is more than one shard (a gang).
 *
 * @param id            the run's number in its trace, also its tie-breaker in the queue
 * @param arrivalHours  when it joins the wait queue, hours from the trace's start
 * @param durationHours how long each of its shards holds its devices once started
 * @param priority      higher is placed first; equal priorities go oldest first
 */
public record SimRun(int id, double arrivalHours, double durationHours, int shards, AcceleratorRequirement requirement,
                     int priority) {

    public SimRun {
        if (shards < 1 || durationHours <= 0 || arrivalHours < 0) {
            throw new IllegalArgumentException("run " + id + ": shards >= 1, duration > 0 and arrival >= 0 are required");
        }
    }

    public int devices() {
        return shards * requirement.count();
    }

    public double deviceHours() {
        return devices() * durationHours;
    }

    public boolean gang() {
        return shards > 1;
    }

    /** Whether one of its shards needs a whole 8-GPU executor (or more). */
    public boolean wholeMachineShard() {
        return requirement.count() >= 8;
    }
}
