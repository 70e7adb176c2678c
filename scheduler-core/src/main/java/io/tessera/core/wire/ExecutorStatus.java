package io.tessera.core.wire;

import io.tessera.core.model.DeviceId;

import java.time.Instant;
import java.util.List;

/** Executor → admin: what runs there now and which devices are free. */
public record ExecutorStatus(int v, String executorId, String group, int slots, List<RunningShard> running,
                             List<DeviceId> freeDevices) implements WireMessage {

    public ExecutorStatus {
        running = running == null ? List.of() : List.copyOf(running);
        freeDevices = freeDevices == null ? List.of() : List.copyOf(freeDevices);
    }

    public record RunningShard(long runId, int shardIndex, String jobName, int attempt, List<DeviceId> devices,
                               Instant startedAt, long fencingToken) {
    }
}
