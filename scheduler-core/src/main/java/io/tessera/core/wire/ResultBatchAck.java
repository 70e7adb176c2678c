package io.tessera.core.wire;

/**
 * Admin → executor: every result of a {@link ResultBatch} is stored; the executor may drop its
 * spooled copy.
 *
 * @param recorded         results this request stored
 * @param alreadyRecorded  results that were stored before (a repeated report), or that name a shard
 *                         the database does not hold any more
 */
public record ResultBatchAck(int v, int recorded, int alreadyRecorded) implements WireMessage {
}
