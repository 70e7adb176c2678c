package io.tessera.admin.engine;

import io.tessera.admin.store.RunStore;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Writes the engine's run and shard changes to the database off the dispatch path, in order, in
 * batches: whatever queued while one batch was written goes in the next. A failing write is kept
 * and retried, in order, until the database answers again, so nothing is lost; the store's guards
 * keep a late write from undoing a result recorded elsewhere.
 */
final class EngineWriter {

    private static final Logger log = LoggerFactory.getLogger(EngineWriter.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int MAX_BATCH = 2_000;

    private sealed interface Op permits Shards, Run, Complete {
    }

    private record Shards(List<ShardRun> rows) implements Op {
    }

    private record Run(long runId, RunStatus status, int attempt, Instant startedAt, Instant finishedAt, String message)
            implements Op {
    }

    private record Complete(ShardRun row) implements Op {
    }

    private final RunStore runs;
    private final Consumer<Throwable> onFailure;
    private final Runnable onRecovery;
    private final ConcurrentLinkedDeque<Op> queue = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread writer = new Thread(runnable, "tessera-engine-writer");
        writer.setDaemon(true);
        return writer;
    });
    private volatile boolean failing;

    EngineWriter(RunStore runs, Consumer<Throwable> onFailure, Runnable onRecovery) {
        this.runs = runs;
        this.onFailure = onFailure;
        this.onRecovery = onRecovery;
    }

    void shards(Collection<ShardRun> rows) {
        if (!rows.isEmpty()) {
            enqueue(new Shards(List.copyOf(rows)));
        }
    }

    void run(long runId, RunStatus status, int attempt, Instant startedAt, Instant finishedAt, String message) {
        enqueue(new Run(runId, status, attempt, startedAt, finishedAt, message));
    }

    void complete(ShardRun row) {
        enqueue(new Complete(row));
    }

    /** False while writes fail: the engine starts nothing new until they go through again. */
    boolean healthy() {
        return !failing;
    }

    int backlog() {
        return queue.size();
    }

    private void enqueue(Op op) {
        queue.add(op);
        drainSoon(0);
    }

    private void drainSoon(long delayMillis) {
        if (scheduled.compareAndSet(false, true)) {
            try {
                thread.schedule(this::drain, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                scheduled.set(false);
            }
        }
    }

    private void drain() {
        scheduled.set(false);
        List<Op> batch = new ArrayList<>();
        for (Op op = queue.poll(); op != null && batch.size() < MAX_BATCH; op = batch.size() < MAX_BATCH ? queue.poll() : null) {
            batch.add(op);
        }
        int written = 0;
        try {
            while (written < batch.size()) {
                written = write(batch, written);
            }
            if (failing) {
                failing = false;
                log.info("Database writes go through again");
                onRecovery.run();
            }
        } catch (RuntimeException e) {
            failing = true;
            onFailure.accept(e);
            // Put back what was not written, in order, ahead of anything queued since.
            for (int i = batch.size() - 1; i >= written; i--) {
                queue.addFirst(batch.get(i));
            }
            drainSoon(RETRY.toMillis());
            return;
        }
        if (!queue.isEmpty()) {
            drainSoon(0);
        }
    }

    /** Writes the op at {@code from}, with the shard updates that follow it in one batch; returns the next index. */
    private int write(List<Op> batch, int from) {
        Op op = batch.get(from);
        if (op instanceof Shards) {
            List<ShardRun> rows = new ArrayList<>();
            int next = from;
            while (next < batch.size() && batch.get(next) instanceof Shards shards) {
                rows.addAll(shards.rows());
                next++;
            }
            runs.updateShards(rows);
            return next;
        }
        if (op instanceof Run run) {
            runs.updateRun(run.runId(), run.status(), run.attempt(), run.startedAt(), run.finishedAt(), run.message());
        } else if (op instanceof Complete complete) {
            runs.completeShard(complete.row());
        }
        return from + 1;
    }

    /** Writes what is queued (bounded by {@code timeout}), then stops. */
    void close(Duration timeout) {
        drainSoon(0);
        thread.shutdown();
        try {
            if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} database write(s) were not done when the engine stopped; the next leader reconciles them", queue.size());
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
