package io.tessera.admin.reconcile;

import io.tessera.admin.store.RunStore;
import io.tessera.core.zk.ZkLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Removes finished runs' nodes from ZooKeeper a retention after the database has their final
 * status, a batch of runs per transaction, so the node count stays bounded by the retention. Runs
 * that an earlier leader finished but did not clean are found by {@link #sweep}, which lists buckets
 * one at a time and asks the database about their runs in batches, never run by run.
 */
public final class NodeJanitor implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(NodeJanitor.class);
    private static final Duration TICK = Duration.ofMillis(500);
    private static final int MAX_RUNS_PER_PASS = 5_000;

    private record Due(long runId, List<String> attempts, long atMillis) {
    }

    private final RunNodes nodes;
    private final RunStore runs;
    private final Duration retention;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Due> due = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread janitor = new Thread(runnable, "tessera-node-janitor");
        janitor.setDaemon(true);
        return janitor;
    });
    private volatile boolean deleting;

    public NodeJanitor(RunNodes nodes, RunStore runs, Duration retention, Clock clock) {
        this.nodes = nodes;
        this.runs = runs;
        this.retention = retention;
        this.clock = clock;
        thread.scheduleWithFixedDelay(this::deleteDue, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The database holds this run's final status: its nodes go a retention from now. Any thread.
     *
     * @param attempts the names of its attempt nodes when the caller knows them all, else null (they are listed)
     */
    public void finished(long runId, List<String> attempts) {
        due.add(new Due(runId, attempts == null ? null : List.copyOf(attempts), clock.millis() + retention.toMillis()));
    }

    /** Runs waiting for their retention to pass. */
    public int waiting() {
        return due.size();
    }

    private void deleteDue() {
        if (deleting) {
            return;
        }
        long now = clock.millis();
        Map<Long, List<String>> batch = new java.util.HashMap<>();
        for (Due next = due.peek(); next != null && next.atMillis() <= now && batch.size() < MAX_RUNS_PER_PASS; next = due.peek()) {
            Due taken = due.poll();
            batch.put(taken.runId(), taken.attempts());
        }
        if (batch.isEmpty()) {
            return;
        }
        deleting = true;
        nodes.deleteRuns(batch).whenComplete((deleted, error) -> {
            deleting = false;
            if (error != null) {
                log.warn("Could not remove the nodes of {} finished run(s) now ({}); the next sweep does", batch.size(),
                        RunNodes.cause(error).toString());
            }
        });
    }

    /**
     * After {@code delay}, looks for nodes of runs that finished longer than the retention ago but
     * were never cleaned (their leader died first) and removes them. {@code open} holds the runs the
     * engine drives; they are never touched.
     */
    public void sweepAfter(Duration delay, Set<Long> open) {
        try {
            thread.schedule(() -> sweep(open), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // Closed meanwhile.
        }
    }

    private void sweep(Set<Long> open) {
        try {
            Instant before = clock.instant().minus(retention);
            int removed = 0;
            int foreign = 0;
            for (long bucket : nodes.buckets().join()) {
                List<Long> candidates = nodes.runsIn(bucket).join().stream().filter(id -> !open.contains(id)).toList();
                for (int from = 0; from < candidates.size() && !closed.get(); from += MAX_RUNS_PER_PASS) {
                    List<Long> part = candidates.subList(from, Math.min(candidates.size(), from + MAX_RUNS_PER_PASS));
                    Map<Long, RunStore.RunState> states = runs.states(part);
                    List<Long> stale = new ArrayList<>();
                    for (long runId : part) {
                        RunStore.RunState state = states.get(runId);
                        if (state == null) {
                            foreign++;
                        } else if (state.status().isTerminal() && state.finishedAt() != null && state.finishedAt().isBefore(before)) {
                            stale.add(runId);
                        }
                    }
                    removed += nodes.deleteRuns(stale).join();
                }
            }
            if (removed > 0) {
                log.info("Removed the ZooKeeper nodes of {} run(s) that finished before this term", removed);
            }
            if (foreign > 0) {
                log.warn("{} run node(s) under {} name runs this database does not hold; they are left alone", foreign, ZkLayout.RUNS);
            }
        } catch (RuntimeException e) {
            log.warn("Sweeping old run nodes failed this time: {}", e.toString());
        }
    }

    /** Stops; nodes still waiting are left for the next leader's sweep. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            thread.shutdownNow();
        }
    }
}
