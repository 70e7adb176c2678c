package io.tessera.executor.report;

import io.tessera.core.wire.ResultBatch;
import io.tessera.core.wire.ShardResult;
import io.tessera.executor.batch.Coalescer;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gathers finished shards' results into batches: one drainer takes whatever has queued (at most
 * {@link ResultBatch#MAX_RESULTS}), groups it by where it goes, and hands each group to the
 * dispatcher, which spools it as one file and reports it in one request. Results that finish while
 * a batch is being spooled make the next batch, so a burst costs a few files and requests, not one each.
 */
public final class ResultBatcher implements Closeable {

    /**
     * Reports a burst may have unanswered at once: two keep a large burst's batches flowing while the
     * admin stores one, without the pile of concurrent reports (and their lock conflicts) that an
     * admin that slows down would otherwise get.
     */
    static final int REPORTS_IN_FLIGHT = 2;

    private final ReportDispatcher dispatcher;
    private final Coalescer<Pending> queue;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param drainer spools and sends; it writes files, so give it a thread of its own */
    public ResultBatcher(ReportDispatcher dispatcher, Executor drainer) {
        this.dispatcher = dispatcher;
        this.queue = new Coalescer<>("results", ResultBatch.MAX_RESULTS, REPORTS_IN_FLIGHT, drainer, this::dispatch);
    }

    /** @param reportTo the trigger's {@code reportTo}; null for the configured admin */
    public void submit(ShardResult result, String reportTo) {
        queue.submit(new Pending(result, reportTo));
        if (closed.get()) {
            spoolWhatIsQueued();
        }
    }

    /**
     * Spools and reports each group; the stage completes once these reports were answered (or failed,
     * to be retried), so at most {@link #REPORTS_IN_FLIGHT} are in flight and the next batch grows
     * meanwhile instead of a pile of concurrent reports that the admin would have to store all at once.
     */
    private CompletionStage<Void> dispatch(List<Pending> results) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        byTarget(results).forEach((reportTo, group) -> {
            if (closed.get()) {
                dispatcher.spoolOnly(group, reportTo);
            } else {
                sent.add(dispatcher.submit(group, reportTo).toCompletableFuture());
            }
        });
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private static Map<String, List<ShardResult>> byTarget(List<Pending> results) {
        Map<String, List<ShardResult>> groups = new LinkedHashMap<>();
        for (Pending pending : results) {
            groups.computeIfAbsent(pending.reportTo(), target -> new ArrayList<>()).add(pending.result());
        }
        return groups;
    }

    private void spoolWhatIsQueued() {
        List<Pending> left = queue.takeAll();
        for (int from = 0; from < left.size(); from += ResultBatch.MAX_RESULTS) {
            byTarget(left.subList(from, Math.min(left.size(), from + ResultBatch.MAX_RESULTS)))
                    .forEach((reportTo, group) -> dispatcher.spoolOnly(group, reportTo));
        }
    }

    /** Stops reporting; results still queued are spooled for the next start. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            dispatcher.close();
        }
        spoolWhatIsQueued();
    }

    private record Pending(ShardResult result, String reportTo) {
    }
}
