package io.tessera.core.wire;

/** The HTTP paths of the admin↔executor contract, on both sides. */
public final class WirePaths {

    /** Executor endpoint: POST a {@link TriggerRequest}, answered with a {@link TriggerReply}. */
    public static final String TRIGGER = "/v1/trigger";
    /** Executor endpoint: POST a {@link TriggerBatch}, answered with a {@link TriggerBatchReply}. */
    public static final String TRIGGERS = "/v1/triggers";
    /** Executor endpoint: POST a {@link KillRequest}, answered with a {@link KillReply}. */
    public static final String KILL = "/v1/kill";
    /** Executor endpoint: GET with query {@code runId, shard, offset, maxBytes}, answered with a {@link LogChunk}. */
    public static final String LOG = "/v1/log";
    /** Executor endpoint: GET, answered with an {@link ExecutorStatus}. */
    public static final String STATUS = "/v1/status";
    /** Admin endpoint: POST a {@link ResultBatch}, answered with a {@link ResultBatchAck}. Signed like the others. */
    public static final String RESULTS = "/api/v1/executor/results";

    private WirePaths() {
    }
}
