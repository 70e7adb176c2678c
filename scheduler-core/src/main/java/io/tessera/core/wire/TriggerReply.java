package io.tessera.core.wire;

/**
 * Executor → admin: the answer to a {@link TriggerRequest}.
 *
 * @param fencingToken the claim node's creation zxid when the shard was claimed, else 0
 */
public record TriggerReply(int v, long runId, int shardIndex, TriggerOutcome outcome, String executorId,
                           long fencingToken, String message) implements WireMessage {
}
