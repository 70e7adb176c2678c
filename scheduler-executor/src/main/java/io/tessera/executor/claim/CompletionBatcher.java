package io.tessera.executor.claim;

import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.executor.batch.Coalescer;
import org.apache.zookeeper.ZooKeeper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Gathers finished shards into completion transactions: one drainer takes whatever has queued (at
 * most {@value #MAX_SHARDS} shards, 1,000 ops), groups it by the session that claimed it, and sends
 * one {@link CompletionBatch} per group. The next drain waits for those answers, so shards that
 * finish meanwhile make the next transaction. A claim whose session is no longer the current one is
 * never written on its session's handle: its result goes to {@link ExpiredClaimResults}, which
 * records it on the current session only while nobody else took the attempt.
 */
final class CompletionBatcher {

    /** Shards per transaction: two ops each, within the 1,000 ops a claim batch also stays under. */
    static final int MAX_SHARDS = 500;
    /** Result bytes per transaction, far below ZooKeeper's 1 MiB request limit. */
    static final int MAX_BYTES = 512 * 1024;

    private final SessionHandles handles;
    private final ExpiredClaimResults expired;
    private final Coalescer<PendingCompletion> queue;

    /** @param drainer encodes results and sends the transactions; it never blocks on them */
    CompletionBatcher(SessionHandles handles, ExpiredClaimResults expired, Executor drainer) {
        this.handles = handles;
        this.expired = expired;
        this.queue = new Coalescer<>("completions", MAX_SHARDS, drainer, this::send);
    }

    CompletionStage<Completion> complete(Claim claim, ShardResult result) {
        PendingCompletion pending = new PendingCompletion(claim, result, new CompletableFuture<>());
        queue.submit(pending);
        return pending.outcome();
    }

    private CompletionStage<Void> send(List<PendingCompletion> batch) {
        Map<Long, List<PendingCompletion>> bySession = new LinkedHashMap<>();
        for (PendingCompletion pending : batch) {
            bySession.computeIfAbsent(pending.claim().sessionId(), session -> new ArrayList<>()).add(pending);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        bySession.forEach((session, shards) -> {
            ZooKeeper zk = handles.of(session);
            if (zk == null && handles.currentId() == 0) {
                shards.forEach(shard -> shard.outcome().complete(Completion.UNREACHABLE));
            } else if (zk == null) {
                shards.forEach(shard -> sent.add(expired.record(shard.claim(), shard.result())
                        .thenAccept(shard.outcome()::complete)));
            } else {
                try {
                    sendWithinLimits(zk, shards, sent);
                } catch (RuntimeException e) {
                    // Shards already sent complete from their answers; the others learn why they cannot.
                    shards.forEach(shard -> shard.outcome().completeExceptionally(e));
                }
            }
        });
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private void sendWithinLimits(ZooKeeper zk, List<PendingCompletion> shards, List<CompletableFuture<Void>> sent) {
        List<PendingCompletion> part = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();
        int bytes = 0;
        for (PendingCompletion shard : shards) {
            byte[] result = WireCodec.encode(shard.result());
            if (!part.isEmpty() && bytes + result.length > MAX_BYTES) {
                sent.add(new CompletionBatch(zk, handles, part, results).send());
                part = new ArrayList<>();
                results = new ArrayList<>();
                bytes = 0;
            }
            part.add(shard);
            results.add(result);
            bytes += result.length;
        }
        sent.add(new CompletionBatch(zk, handles, part, results).send());
    }
}
