package io.tessera.core.wire;

/** Admin → executor: stop a shard (its whole process tree for command handlers). */
public record KillRequest(int v, long runId, int shardIndex, String reason) implements WireMessage {
}
