package io.tessera.executor.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Turns items submitted one by one into batches without waiting on a clock: one drain at a time
 * takes whatever has queued (up to {@code maxBatch}) and hands it to the sink; items that arrive
 * while the sink works make the next batch. The next drain starts once the stage the sink returned
 * completes, so a sink that returns the stage of its round trip keeps one batch in flight and lets
 * the next one grow meanwhile. Under a trickle every item goes alone and at once.
 */
public final class Coalescer<T> {

    private static final Logger log = LoggerFactory.getLogger(Coalescer.class);

    private final String name;
    private final int maxBatch;
    private final Executor drainer;
    private final Function<List<T>, CompletionStage<?>> sink;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final int maxInFlight;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param name    what is batched, for log lines
     * @param drainer runs the sink; the sink may block it (e.g. on a file), so give it its own thread
     */
    public Coalescer(String name, int maxBatch, Executor drainer, Function<List<T>, CompletionStage<?>> sink) {
        this(name, maxBatch, 1, drainer, sink);
    }

    /** @param maxInFlight batches whose stage may be pending at once; the next waits for one to complete */
    public Coalescer(String name, int maxBatch, int maxInFlight, Executor drainer, Function<List<T>, CompletionStage<?>> sink) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be positive, were " + maxBatch + ", " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.name = name;
        this.maxBatch = maxBatch;
        this.drainer = drainer;
        this.sink = sink;
    }

    public void submit(T item) {
        queue.add(item);
        drainSoon();
    }

    public void submitAll(List<T> items) {
        queue.addAll(items);
        drainSoon();
    }

    /** Takes everything queued now, without handing it to the sink: for a last flush on close. */
    public List<T> takeAll() {
        List<T> all = new ArrayList<>();
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            all.add(item);
        }
        return all;
    }

    private void drainSoon() {
        if (queue.isEmpty() || !takeSlot()) {
            return;
        }
        try {
            drainer.execute(this::drain);
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            log.warn("{}: the drainer is shut down; what is queued stays until takeAll()", name);
        }
    }

    private void drain() {
        List<T> batch = new ArrayList<>(Math.min(maxBatch, 64));
        while (batch.size() < maxBatch) {
            T item = queue.poll();
            if (item == null) {
                break;
            }
            batch.add(item);
        }
        CompletionStage<?> handled;
        try {
            handled = batch.isEmpty() ? CompletableFuture.completedFuture(null) : sink.apply(batch);
        } catch (RuntimeException e) {
            log.error("{}: a batch of {} failed in the agent", name, batch.size(), e);
            handled = CompletableFuture.completedFuture(null);
        }
        handled.whenComplete((ignored, error) -> {
            if (error != null) {
                log.error("{}: a batch of {} failed in the agent", name, batch.size(), error);
            }
            inFlight.decrementAndGet();
            drainSoon();
        });
    }

    private boolean takeSlot() {
        while (true) {
            int now = inFlight.get();
            if (now >= maxInFlight) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }
}
