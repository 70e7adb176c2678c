package io.tessera.core.wire;

/** Admin → executor: read a shard's log from a byte offset. */
public record LogRead(int v, long runId, int shardIndex, long offset, int maxBytes) implements WireMessage {

    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
}
