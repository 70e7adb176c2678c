package io.tessera.admin.place;

import io.tessera.core.model.DeviceId;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which devices and slots the leader has handed out to running shards, per executor. Confined to
 * the engine thread.
 */
public final class DeviceLedger {

    private final Map<String, Set<DeviceId>> busy = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();

    public void hold(String executorId, List<DeviceId> devices) {
        if (!devices.isEmpty()) {
            busy.computeIfAbsent(executorId, id -> new HashSet<>()).addAll(devices);
        }
        running.merge(executorId, 1, Integer::sum);
    }

    public void release(String executorId, List<DeviceId> devices) {
        Set<DeviceId> held = busy.get(executorId);
        if (held != null) {
            devices.forEach(held::remove);
            if (held.isEmpty()) {
                busy.remove(executorId);
            }
        }
        running.computeIfPresent(executorId, (id, count) -> count <= 1 ? null : count - 1);
    }

    /** Forgets an executor that left: whatever it held is gone with it. */
    public void forget(String executorId) {
        busy.remove(executorId);
        running.remove(executorId);
    }

    public Map<String, Set<DeviceId>> busy() {
        Map<String, Set<DeviceId>> copy = new HashMap<>();
        busy.forEach((id, devices) -> copy.put(id, Set.copyOf(devices)));
        return copy;
    }

    public Map<String, Integer> running() {
        return Map.copyOf(running);
    }

    public int busyDevices(String executorId) {
        return busy.getOrDefault(executorId, Set.of()).size();
    }

    public int runningShards(String executorId) {
        return running.getOrDefault(executorId, 0);
    }
}
