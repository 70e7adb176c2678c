package io.tessera.core.model;

import java.time.Instant;
import java.util.List;

/**
 * One shard of one run, as the admin records it.
 *
 * @param executorId where the current attempt runs (null while not placed)
 * @param devices    the device ids it was given, e.g. {@code GPU:0}
 */
public record ShardRun(long runId, int shardIndex, RunStatus status, String executorId, int attempt,
                       List<DeviceId> devices, Instant startedAt, Instant finishedAt, Integer exitCode,
                       String message) {

    public ShardRun {
        if (status == null) {
            throw new IllegalArgumentException("status is required");
        }
        if (shardIndex < 0) {
            throw new IllegalArgumentException("shardIndex must not be negative, was " + shardIndex);
        }
        devices = devices == null ? List.of() : List.copyOf(devices);
    }
}
