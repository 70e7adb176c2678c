package io.tessera.core.wire;

/** @param killed false when the shard was not running there */
public record KillReply(int v, long runId, int shardIndex, boolean killed, String message) implements WireMessage {
}
