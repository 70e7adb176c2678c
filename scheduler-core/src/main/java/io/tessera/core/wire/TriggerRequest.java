package io.tessera.core.wire;

import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.DeviceId;

import java.time.Instant;
import java.util.List;

/**
 * Admin → executor: run one shard of one run.
 *
 * @param devices      the devices placement gave this shard on that executor
 * @param rendezvous   for multi-shard runs: where rank 0 listens; null for single-shard runs
 * @param scheduledAt  the fire time, to measure lateness
 * @param dispatchedAt when the admin sent it
 * @param reportTo     the admin URL that wants the result, or null for the agent's configured one
 */
public record TriggerRequest(int v, long runId, long jobId, String jobName, String handler, String params,
                             int shardIndex, int shardTotal, int attempt, List<DeviceId> devices,
                             int timeoutSeconds, BlockStrategy blockStrategy, Rendezvous rendezvous,
                             Instant scheduledAt, Instant dispatchedAt, String reportTo) implements WireMessage {

    public TriggerRequest {
        devices = devices == null ? List.of() : List.copyOf(devices);
        params = params == null ? "" : params;
        blockStrategy = blockStrategy == null ? BlockStrategy.SERIAL : blockStrategy;
    }

    /** The rendezvous of a distributed run, so that torchrun-style programs start without glue. */
    public record Rendezvous(String masterAddr, int masterPort, int localRank) {
    }
}
