package io.tessera.core.wire;

/** Admin → executor: the result was stored (or was already); the executor may drop its spooled copy. */
public record ResultAck(int v, long runId, int shardIndex, boolean accepted, String message) implements WireMessage {
}
