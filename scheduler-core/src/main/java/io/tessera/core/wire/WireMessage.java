package io.tessera.core.wire;

/**
 * A message between admin and executor. Every message carries the protocol version {@code v} it
 * was written with; a reader refuses versions newer than it knows.
 */
public interface WireMessage {

    /** The version this build writes. Bump it when a change would mislead an older reader. */
    int PROTOCOL_VERSION = 1;

    int v();
}
