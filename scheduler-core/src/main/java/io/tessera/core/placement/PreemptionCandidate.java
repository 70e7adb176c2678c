package io.tessera.core.placement;

import io.tessera.core.model.DeviceId;

import java.util.List;

/**
 * Running work that preemption may stop, as one unit: one shard, or every rank of a gang (a gang
 * cannot go on without one of its ranks, so stopping one stops all).
 *
 * @param key        names the unit for the caller (e.g. {@code run 12 shard 3})
 * @param held       what the unit holds now, per shard
 * @param lostDeviceSeconds the device-time its running shards have used since they started, which a restart throws away
 */
public record PreemptionCandidate(String key, List<Held> held, double lostDeviceSeconds) {

    public PreemptionCandidate {
        held = List.copyOf(held);
        if (lostDeviceSeconds < 0) {
            throw new IllegalArgumentException("lostDeviceSeconds must not be negative, was " + lostDeviceSeconds);
        }
    }

    /** One shard's executor and devices. */
    public record Held(String executorId, List<DeviceId> devices) {
        public Held {
            devices = List.copyOf(devices);
        }
    }
}
