package io.tessera.core.wire;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.RunStatus;

import java.time.Instant;
import java.util.List;

/**
 * A finished shard: written into its {@code done} node and reported to the admin. Reporting the
 * same result twice is harmless: the admin records the first and acknowledges both.
 *
 * @param exitCode the process exit code for command handlers, else null
 * @param devices  the devices the shard ran on, so that the result alone is the shard's whole record
 */
public record ShardResult(int v, long runId, int shardIndex, int attempt, long jobId, String executorId,
                          RunStatus status, Integer exitCode, String message, Instant startedAt,
                          Instant finishedAt, long fencingToken, List<DeviceId> devices) implements WireMessage {

    public ShardResult {
        if (status == null || !status.isTerminal()) {
            throw new IllegalArgumentException("a shard result needs a terminal status, was " + status);
        }
        message = message == null ? "" : message;
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    /** A result of a shard that ran on no device. */
    public ShardResult(int v, long runId, int shardIndex, int attempt, long jobId, String executorId, RunStatus status,
                       Integer exitCode, String message, Instant startedAt, Instant finishedAt, long fencingToken) {
        this(v, runId, shardIndex, attempt, jobId, executorId, status, exitCode, message, startedAt, finishedAt, fencingToken,
                List.of());
    }
}
