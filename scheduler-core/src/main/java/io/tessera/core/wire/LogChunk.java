package io.tessera.core.wire;

/**
 * Part of a shard's log.
 *
 * @param nextOffset where the next read starts
 * @param complete   the shard has finished and the chunk reaches the end of its log
 */
public record LogChunk(int v, long runId, int shardIndex, long offset, long nextOffset, String text,
                       boolean complete) implements WireMessage {
}
