package io.tessera.admin.record;

import io.tessera.admin.store.RunChange;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.ShardRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the engine's run and shard changes to the database off the engine thread, a transaction
 * per drain, holding at most one pending change per row: a newer change of a row merges into the
 * one still waiting, so a row that changes faster than the database is written never queues more
 * than once.
 *
 * <p>Changes that only say where work is in flight (a shard placed, a run started) wait a short
 * hold-back before they are written: a shard that finishes within it is written once, with its
 * result, instead of twice, and a run once, finished. Final changes are written at once. A write
 * that fails because the database is unavailable is kept and retried until it answers again, so
 * nothing is lost; the store's guards keep a late write from undoing a result recorded elsewhere.
 * A change the database refuses for good (an integrity violation: a bad row) is logged, counted
 * and skipped, so it can never wedge the queue; only that change is lost, never its neighbours.
 */
public final class RunWriter {

    private static final Logger log = LoggerFactory.getLogger(RunWriter.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int MAX_BATCH = 5_000;

    /** Hears how writing goes; called on the writer's thread. */
    public interface Listener {
        /** Writes fail (the database is unavailable); they are retried every second. */
        void failing(Throwable error);

        /** Writes go through again after {@link #failing}. */
        void recovered();

        /** The database refused this change for good; it is dropped. */
        void skipped(RunChange change, Throwable error);
    }

    /** The row a change is for: one pending change per row, results apart from updates. */
    private record Key(char kind, long runId, int shard, int attempt) {
        static Key of(RunChange change) {
            if (change instanceof RunChange.RunUpdate run) {
                return new Key('r', run.runId(), -1, 0);
            }
            if (change instanceof RunChange.ShardUpdate update) {
                return new Key('s', update.shard().runId(), update.shard().shardIndex(), 0);
            }
            if (change instanceof RunChange.ChildRuns children) {
                return new Key('c', children.parentRunId(), -1, 0);
            }
            if (change instanceof RunChange.Preempted preempted) {
                return new Key('p', preempted.runId(), preempted.shardIndex(), preempted.attempt());
            }
            ShardRun shard = ((RunChange.ShardResult) change).shard();
            return new Key('f', shard.runId(), shard.shardIndex(), 0);
        }
    }

    private static final class Pending {
        RunChange change;
        long dueMillis;
        final List<Runnable> onStored = new ArrayList<>(1);

        Pending(RunChange change, long dueMillis) {
            this.change = change;
            this.dueMillis = dueMillis;
        }
    }

    private final RunStore runs;
    private final Listener listener;
    private final Clock clock;
    private final long holdBackMillis;
    /** Guarded by itself; insertion order is the order rows were first changed. */
    private final Map<Key, Pending> pending = new LinkedHashMap<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger skipped = new AtomicInteger();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread writer = new Thread(runnable, "tessera-run-writer");
        writer.setDaemon(true);
        return writer;
    });
    private volatile boolean failing;

    /** @param holdBack how long in-flight changes (a shard placed, a run started) wait, to merge with what follows */
    public RunWriter(RunStore runs, Listener listener, Clock clock, Duration holdBack) {
        this.runs = runs;
        this.listener = listener;
        this.clock = clock;
        this.holdBackMillis = holdBack.toMillis();
        thread.scheduleWithFixedDelay(() -> drainSoon(0), holdBackMillis, Math.max(10, holdBackMillis / 4), TimeUnit.MILLISECONDS);
    }

    public RunWriter(RunStore runs, Listener listener) {
        this(runs, listener, Clock.systemUTC(), Duration.ZERO);
    }

    /** A final change: written at once. */
    public void write(RunChange change) {
        write(change, null);
    }

    /** @param onStored runs on the writer's thread once the change is committed (not if it is skipped) */
    public void write(RunChange change, Runnable onStored) {
        put(change, 0, onStored);
        drainSoon(0);
    }

    /** Final changes: written at once. */
    public void write(Collection<? extends RunChange> changes) {
        for (RunChange change : changes) {
            put(change, 0, null);
        }
        drainSoon(0);
    }

    /**
     * Final changes that belong together (a parent's final status and its child runs): queued at once,
     * so that one drain takes them all and writes them in one transaction.
     *
     * @param onStored runs on the writer's thread once they are committed
     */
    public void writeTogether(List<? extends RunChange> changes, Runnable onStored) {
        synchronized (pending) {
            for (int i = 0; i < changes.size(); i++) {
                put(changes.get(i), 0, i == changes.size() - 1 ? onStored : null);
            }
        }
        drainSoon(0);
    }

    /** Changes that say where work is in flight: written after the hold-back unless something newer merged in first. */
    public void inFlight(Collection<? extends RunChange> changes) {
        inFlight(changes, 0);
    }

    /**
     * Changes about work that starts at {@code startsAtMillis} (a shard sent ahead of its fire time):
     * held back until the hold-back after that start, so that a shard that finishes within it is
     * written once, with its result, however early it was sent.
     */
    public void inFlight(Collection<? extends RunChange> changes, long startsAtMillis) {
        long delay = Math.max(0, startsAtMillis - clock.millis()) + holdBackMillis;
        for (RunChange change : changes) {
            put(change, delay, null);
        }
        if (delay == 0) {
            drainSoon(0);
        }
    }

    /**
     * A shard's result of this attempt was stored by someone else (a report): a placement of the
     * same or an earlier attempt still waiting here would change nothing, so it is dropped.
     */
    public void resultStored(long runId, int shard, int attempt) {
        synchronized (pending) {
            Key key = new Key('s', runId, shard, 0);
            Pending waiting = pending.get(key);
            if (waiting != null && ((RunChange.ShardUpdate) waiting.change).shard().attempt() <= attempt
                    && waiting.onStored.isEmpty()) {
                pending.remove(key);
            }
        }
    }

    /** False while writes fail: the engine starts nothing new until they go through again. */
    public boolean healthy() {
        return !failing;
    }

    /** Rows waiting to be written. */
    public int backlog() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Changes the database refused for good since this writer started. */
    public int skipped() {
        return skipped.get();
    }

    private void put(RunChange change, long delayMillis, Runnable onStored) {
        long due = clock.millis() + delayMillis;
        synchronized (pending) {
            Key key = Key.of(change);
            Pending waiting = pending.get(key);
            if (waiting == null) {
                waiting = new Pending(change, due);
                pending.put(key, waiting);
            } else {
                waiting.change = merge(waiting.change, change);
                waiting.dueMillis = Math.min(waiting.dueMillis, due);
            }
            if (onStored != null) {
                waiting.onStored.add(onStored);
            }
        }
    }

    /** The newer change wins; a run keeps when it started, a shard the devices it was placed on. */
    private static RunChange merge(RunChange older, RunChange newer) {
        if (older instanceof RunChange.RunUpdate was && newer instanceof RunChange.RunUpdate now && now.startedAt() == null) {
            return new RunChange.RunUpdate(now.runId(), now.status(), now.attempt(), was.startedAt(), now.finishedAt(), now.message());
        }
        if (older instanceof RunChange.ShardUpdate was && newer instanceof RunChange.ShardUpdate now
                && now.shard().devices().isEmpty() && !was.shard().devices().isEmpty()
                && was.shard().attempt() == now.shard().attempt()) {
            ShardRun s = now.shard();
            return new RunChange.ShardUpdate(new ShardRun(s.runId(), s.shardIndex(), s.status(), s.executorId(), s.attempt(),
                    was.shard().devices(), s.startedAt(), s.finishedAt(), s.exitCode(), s.message()));
        }
        return newer;
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
        List<Pending> batch = takeDue(clock.millis());
        if (batch.isEmpty()) {
            return;
        }
        try {
            write(batch);
            if (failing) {
                failing = false;
                log.info("Database writes go through again");
                listener.recovered();
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Database writes fail ({}); {} row(s) wait and are retried every {} ms", e.toString(),
                        batch.size() + backlog(), RETRY.toMillis());
            }
            failing = true;
            listener.failing(e);
            putBack(batch);
            drainSoon(RETRY.toMillis());
            return;
        }
        if (hasDue(clock.millis())) {
            drainSoon(0);
        }
    }

    /**
     * The changes due now, in the order the transaction applies them: runs, then shard updates, then
     * shard results, each by key. Every transaction (this writer's and the result reports') so locks
     * rows in key order, which keeps them from deadlocking each other, and each kind is one batch.
     * With one pending change per row and kind, and the store's guards, this order loses nothing:
     * an update of a shard before its result of the same attempt is what the result overrides.
     */
    private List<Pending> takeDue(long now) {
        List<Pending> batch = new ArrayList<>();
        synchronized (pending) {
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
                Pending next = it.next();
                if (next.dueMillis <= now) {
                    batch.add(next);
                    it.remove();
                }
            }
        }
        batch.sort(APPLY_ORDER);
        return batch;
    }

    private static final java.util.Comparator<Pending> APPLY_ORDER = java.util.Comparator
            .<Pending>comparingInt(waiting -> kindOrder(Key.of(waiting.change).kind()))
            .thenComparingLong(waiting -> Key.of(waiting.change).runId())
            .thenComparingInt(waiting -> Key.of(waiting.change).shard());

    private static int kindOrder(char kind) {
        return switch (kind) {
            case 'r' -> 0;
            case 's' -> 1;
            case 'c' -> 3;
            default -> 2;
        };
    }

    private boolean hasDue(long now) {
        synchronized (pending) {
            return pending.values().stream().anyMatch(waiting -> waiting.dueMillis <= now);
        }
    }

    /** A failed batch goes back; a change that arrived meanwhile for the same row is newer and wins. */
    private void putBack(List<Pending> batch) {
        synchronized (pending) {
            for (Pending failed : batch) {
                Key key = Key.of(failed.change);
                Pending newer = pending.get(key);
                if (newer == null) {
                    pending.put(key, failed);
                } else {
                    newer.change = merge(failed.change, newer.change);
                    newer.dueMillis = Math.min(newer.dueMillis, failed.dueMillis);
                    newer.onStored.addAll(0, failed.onStored);
                }
            }
        }
    }

    /**
     * Writes the batch in one transaction. When the database refuses it for an integrity violation,
     * halves it until the refused changes are alone, skips them and writes the rest. Any other failure
     * propagates with nothing of the batch counted as written (a failed transaction left no trace).
     */
    private void write(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            runs.apply(batch.stream().map(waiting -> waiting.change).toList());
        } catch (DataIntegrityViolationException | IllegalArgumentException refused) {
            if (batch.size() == 1) {
                skip(batch.get(0).change, refused);
                return;
            }
            int half = batch.size() / 2;
            write(batch.subList(0, half));
            write(batch.subList(half, batch.size()));
            return;
        }
        for (Pending stored : batch) {
            for (Runnable callback : stored.onStored) {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    log.error("A callback after storing {} failed", stored.change, e);
                }
            }
        }
    }

    private void skip(RunChange change, RuntimeException refused) {
        skipped.incrementAndGet();
        log.error("The database refuses this change for good, so it is skipped (the queue goes on): {}: {}", change,
                refused.getMessage());
        listener.skipped(change, refused);
    }

    /** Writes what is waiting, hold-back or not (bounded by {@code timeout}), then stops. Idempotent. */
    public void close(Duration timeout) {
        if (thread.isShutdown()) {
            return;
        }
        try {
            thread.submit(() -> {
                List<Pending> all = takeDue(Long.MAX_VALUE);
                try {
                    write(all);
                } catch (RuntimeException e) {
                    log.warn("{} database write(s) were not done when the engine stopped ({}); the next leader reconciles them",
                            all.size(), e.toString());
                }
            });
        } catch (RejectedExecutionException closing) {
            return;
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} database write(s) were not done when the engine stopped; the next leader reconciles them", backlog());
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
