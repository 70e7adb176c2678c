package io.tessera.core.wire;

/**
 * A message between admin and executor. Every message carries the protocol version {@code v} it
 * was written with; a reader refuses versions newer than it knows.
 */
public interface WireMessage {

    /**
     * The version this build writes. Bump it when a change would mislead an older reader. 2: shard
     * attempts have their own ZooKeeper nodes ({@code /runs/{bucket}/{runId}/{shard}-{attempt}}) and
     * results travel in batches.
     */
    int PROTOCOL_VERSION = 2;

    /** The oldest version this build understands: version 1 peers claim under another layout. */
    int MIN_PROTOCOL_VERSION = 2;

    int v();
}
