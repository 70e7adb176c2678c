package io.tessera.executor.report;

import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts results into batches whose encoded {@link ResultBatch} fits the admin's limit on a report's
 * body, keeping their order: each batch is sent as one request, so a large burst becomes several
 * accepted requests instead of one refused one. A single result too large by itself (a huge message)
 * keeps the start of its message, marked as cut, so that it can still be recorded.
 */
final class ResultBatchSplitter {

    static final String CUT_MARK = " … (cut to fit the report size limit)";

    private final int maxBytes;

    /** @param maxBytes the largest encoded batch, at least 64 KiB */
    ResultBatchSplitter(int maxBytes) {
        if (maxBytes < 64 * 1024) {
            throw new IllegalArgumentException("a result batch limit under 64 KiB leaves no room for results: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** @return batches of at most {@link ResultBatch#MAX_RESULTS} results, each within the byte limit */
    List<List<ShardResult>> split(List<ShardResult> results) {
        List<List<ShardResult>> batches = new ArrayList<>();
        List<ShardResult> batch = new ArrayList<>();
        long bytes = 0;
        for (ShardResult result : results) {
            ShardResult fitting = fitAlone(result);
            int size = WireCodec.encode(fitting).length + 1;
            if (!batch.isEmpty() && (bytes + size > maxBytes || batch.size() == ResultBatch.MAX_RESULTS)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            if (batch.isEmpty()) {
                bytes = encodedSize(List.of(fitting)) - size;
            }
            batch.add(fitting);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** The result, or a copy with its message cut so that a batch of it alone fits. */
    private ShardResult fitAlone(ShardResult result) {
        ShardResult fitting = result;
        while (encodedSize(List.of(fitting)) > maxBytes) {
            String message = fitting.message().endsWith(CUT_MARK)
                    ? fitting.message().substring(0, fitting.message().length() - CUT_MARK.length()) : fitting.message();
            if (message.isEmpty()) {
                return fitting;
            }
            int keep = message.length() / 2;
            if (keep > 0 && Character.isHighSurrogate(message.charAt(keep - 1))) {
                keep--;
            }
            fitting = new ShardResult(fitting.v(), fitting.runId(), fitting.shardIndex(), fitting.attempt(), fitting.jobId(),
                    fitting.executorId(), fitting.status(), fitting.exitCode(), message.substring(0, keep) + CUT_MARK,
                    fitting.startedAt(), fitting.finishedAt(), fitting.fencingToken(), fitting.devices());
        }
        return fitting;
    }

    static int encodedSize(List<ShardResult> results) {
        return WireCodec.encode(new ResultBatch(WireMessage.PROTOCOL_VERSION, results)).length;
    }
}
