package io.tessera.executor.support;

import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ResultBatchAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireMessage;
import io.tessera.executor.report.ResultReporter;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A receiver in the test's own JVM: acknowledges and keeps every result, and counts the batches. */
public final class RecordingReporter implements ResultReporter {

    /** Not a copy-on-write list: a benchmark records tens of thousands of results. */
    private final Queue<ShardResult> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Map<String, ShardResult> byShard = new ConcurrentHashMap<>();
    private final AtomicInteger batches = new AtomicInteger();

    @Override
    public CompletionStage<ResultBatchAck> report(ResultBatch batch, URI target) {
        batches.incrementAndGet();
        int already = 0;
        for (ShardResult result : batch.results()) {
            if (byShard.put(result.runId() + "/" + result.shardIndex(), result) != null) {
                already++;
            }
            received.add(result);
        }
        count.addAndGet(batch.results().size());
        return CompletableFuture.completedFuture(new ResultBatchAck(WireMessage.PROTOCOL_VERSION,
                batch.results().size() - already, already));
    }

    /** A snapshot of every result received, in order of arrival. */
    public List<ShardResult> received() {
        return List.copyOf(received);
    }

    /** How many results were received (repeats included). */
    public int count() {
        return count.get();
    }

    public ShardResult result(long runId, int shard) {
        return byShard.get(runId + "/" + shard);
    }

    /** How many batches (requests) the results came in. */
    public int batches() {
        return batches.get();
    }

    public void clear() {
        received.clear();
        count.set(0);
        byShard.clear();
        batches.set(0);
    }
}
