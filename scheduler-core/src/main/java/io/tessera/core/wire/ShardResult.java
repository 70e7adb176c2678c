package io.tessera.core.wire;

import io.tessera.core.model.RunStatus;

import java.time.Instant;

/**
 * A finished shard: written into its {@code done} node and reported to the admin. Reporting the
 * same result twice is harmless: the admin records the first and acknowledges both.
 *
 * @param exitCode the process exit code for command handlers, else null
 */
public record ShardResult(int v, long runId, int shardIndex, int attempt, long jobId, String executorId,
                          RunStatus status, Integer exitCode, String message, Instant startedAt,
                          Instant finishedAt, long fencingToken) implements WireMessage {

    public ShardResult {
        if (status == null || !status.isTerminal()) {
            throw new IllegalArgumentException("a shard result needs a terminal status, was " + status);
        }
        message = message == null ? "" : message;
    }
}
