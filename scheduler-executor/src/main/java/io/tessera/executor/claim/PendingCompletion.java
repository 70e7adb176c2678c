package io.tessera.executor.claim;

import io.tessera.core.wire.ShardResult;

import java.util.concurrent.CompletableFuture;

/** A finished shard's result on its way into its attempt node; {@code outcome} completes once it is written, or cannot be. */
record PendingCompletion(Claim claim, ShardResult result, CompletableFuture<Completion> outcome) {
}
