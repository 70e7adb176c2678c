package io.tessera.executor.support;

import io.tessera.core.wire.ResultAck;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireMessage;
import io.tessera.executor.report.ResultReporter;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A receiver in the test's own JVM: acknowledges and keeps every result. */
public final class RecordingReporter implements ResultReporter {

    private final List<ShardResult> received = new CopyOnWriteArrayList<>();
    private final Map<String, ShardResult> byShard = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<ResultAck> report(ShardResult result, URI target) {
        received.add(result);
        byShard.put(result.runId() + "/" + result.shardIndex(), result);
        return CompletableFuture.completedFuture(new ResultAck(WireMessage.PROTOCOL_VERSION, result.runId(),
                result.shardIndex(), true, "stored"));
    }

    public List<ShardResult> received() {
        return received;
    }

    public ShardResult result(long runId, int shard) {
        return byShard.get(runId + "/" + shard);
    }
}
