package io.tessera.executor.run;

import io.tessera.core.model.DeviceId;
import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.WireMessage;
import io.tessera.executor.claim.Claim;
import io.tessera.executor.claim.ClaimService;
import io.tessera.executor.claim.Completion;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.log.FileShardLog;
import io.tessera.executor.log.ShardLogFiles;
import io.tessera.executor.report.ReportDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Owns the shards this agent holds: admits claimed shards (slots, block strategies), runs their
 * handlers on worker threads, stops them (kill, timeout, replacement, connection loss), and
 * completes them (the ZooKeeper transaction, then the spooled report).
 */
public final class ShardRunner implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ShardRunner.class);
    /** Triggers that arrive up to this long before their fire time wait for it. */
    static final Duration MAX_EARLY = Duration.ofSeconds(10);
    private static final Duration COMPLETION_RETRY = Duration.ofMillis(500);

    private final String executorId;
    private final int slots;
    private final ClaimService claims;
    private final ReportDispatcher reports;
    private final ShardLogFiles logs;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    /** Shards whose claim is being taken or held: a second trigger for one of them is refused at once. */
    private final Set<ShardKey> leases = ConcurrentHashMap.newKeySet();
    /** Guarded by this: queued, running and finishing shards. */
    private final Map<ShardKey, ShardExecution> held = new LinkedHashMap<>();
    /** Guarded by this: shards of later runs waiting behind a running run of the same job (SERIAL). */
    private final Map<Long, ArrayDeque<ShardExecution>> waiting = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final BooleanSupplier connected;

    /**
     * @param connected whether the connection policy allows new shards now; read under the runner's
     *                  lock, so a shard admitted concurrently with a connection loss is always among
     *                  those the loss stops
     */
    public ShardRunner(String executorId, int slots, ClaimService claims, ReportDispatcher reports, ShardLogFiles logs,
                       ExecutorService workers, ScheduledExecutorService scheduler, Clock clock, BooleanSupplier connected) {
        this.connected = connected;
        this.executorId = executorId;
        this.slots = slots;
        this.claims = claims;
        this.reports = reports;
        this.logs = logs;
        this.workers = workers;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Reserves a shard before claiming it; false when this agent already claims or holds it. */
    public boolean reserve(ShardKey key) {
        return !closed.get() && leases.add(key);
    }

    /** Undoes {@link #reserve} once the claim was refused or given back. */
    public void unreserve(ShardKey key) {
        leases.remove(key);
    }

    /** Decides what happens to a shard whose claim this agent now holds. */
    synchronized Admission admit(ShardExecution execution) {
        if (closed.get()) {
            return new Admission(TriggerOutcome.UNAVAILABLE, "the agent is closing");
        }
        if (!connected.getAsBoolean() || claims.sessionId() != execution.claim.sessionId()) {
            return new Admission(TriggerOutcome.UNAVAILABLE, "the ZooKeeper session changed while claiming");
        }
        long jobId = execution.trigger.jobId();
        long runId = execution.key.runId();
        boolean sameRunRuns = held.values().stream().anyMatch(e -> e.trigger.jobId() == jobId
                && e.key.runId() == runId && e.state() != ShardExecution.State.QUEUED);
        List<ShardExecution> others = held.values().stream()
                .filter(e -> e.trigger.jobId() == jobId && e.key.runId() != runId).toList();
        if (sameRunRuns || others.isEmpty()) {
            if (held.size() >= slots) {
                return new Admission(TriggerOutcome.NO_SLOT, "all " + slots + " slots are taken");
            }
            start(execution);
            return new Admission(TriggerOutcome.ACCEPTED, "");
        }
        return switch (execution.trigger.blockStrategy()) {
            case DISCARD_NEW -> new Admission(TriggerOutcome.DISCARDED,
                    "job " + execution.trigger.jobName() + " already runs here (run " + others.get(0).key.runId() + ")");
            case SERIAL -> {
                if (held.size() >= slots) {
                    yield new Admission(TriggerOutcome.NO_SLOT, "all " + slots + " slots are taken");
                }
                held.put(execution.key, execution);
                waiting.computeIfAbsent(jobId, id -> new ArrayDeque<>()).add(execution);
                yield new Admission(TriggerOutcome.QUEUED, "waits behind run " + others.get(0).key.runId());
            }
            case REPLACE_OLD -> {
                others.forEach(old -> stop(old, StopReason.REPLACED));
                start(execution);
                yield new Admission(TriggerOutcome.ACCEPTED, "replaced run " + others.get(0).key.runId());
            }
        };
    }

    /** Stops a held shard; false when it is not held here. */
    public boolean stop(ShardKey key, StopReason reason) {
        ShardExecution execution;
        synchronized (this) {
            execution = held.get(key);
        }
        return execution != null && stop(execution, reason);
    }

    /** Stops every held shard, e.g. when the ZooKeeper session is gone. @return how many */
    public int stopAll(StopReason reason) {
        List<ShardExecution> all;
        synchronized (this) {
            all = new ArrayList<>(held.values());
        }
        int stopped = 0;
        for (ShardExecution execution : all) {
            if (stop(execution, reason)) {
                stopped++;
            }
        }
        if (stopped > 0) {
            log.warn("stopped {} shard(s): {}", stopped, reason);
        }
        return stopped;
    }

    private boolean stop(ShardExecution execution, StopReason reason) {
        if (!execution.stop(reason)) {
            return false;
        }
        boolean wasQueued;
        synchronized (this) {
            wasQueued = execution.state() == ShardExecution.State.QUEUED;
            if (wasQueued) {
                ArrayDeque<ShardExecution> queue = waiting.get(execution.trigger.jobId());
                if (queue != null) {
                    queue.remove(execution);
                }
                execution.state(ShardExecution.State.FINISHING);
            }
        }
        if (wasQueued) {
            Instant now = clock.instant();
            finish(execution, new HandlerResult(reason.status(), "stopped while queued: " + reason, null), now);
        }
        return true;
    }

    public synchronized int heldCount() {
        return held.size();
    }

    public synchronized List<ExecutorStatus.RunningShard> running() {
        return held.values().stream()
                .map(e -> new ExecutorStatus.RunningShard(e.key.runId(), e.key.shard(), e.trigger.jobName(),
                        e.trigger.attempt(), e.trigger.devices(), e.startedAt(), e.claim.fencingToken()))
                .toList();
    }

    /** Devices given to shards that run or wait here. */
    public synchronized Collection<DeviceId> busyDevices() {
        return held.values().stream().flatMap(e -> e.trigger.devices().stream()).toList();
    }

    /** Whether the shard still runs or waits here (its log may grow). */
    public synchronized boolean holds(ShardKey key) {
        return held.containsKey(key);
    }

    /** Whether a log file belongs to a shard held here. */
    public synchronized boolean logInUse(Path file) {
        return held.values().stream().anyMatch(e -> logs.file(e.key.runId(), e.key.shard(), e.trigger.attempt()).equals(file));
    }

    // Guarded by this.
    private void start(ShardExecution execution) {
        held.put(execution.key, execution);
        execution.state(ShardExecution.State.RUNNING);
        long early = startDelayNanos(execution);
        try {
            if (early > 0) {
                // Dispatched ahead of its fire time: claimed now; its thread and log are made now too,
                // and the handler starts on time.
                long dueNanos = System.nanoTime() + early;
                workers.execute(() -> run(execution, dueNanos));
            } else {
                workers.execute(() -> run(execution, 0));
            }
        } catch (RejectedExecutionException e) {
            held.remove(execution.key);
            throw e;
        }
        int timeout = execution.trigger.timeoutSeconds();
        if (timeout > 0) {
            execution.timeout = scheduler.schedule(() -> stop(execution, StopReason.TIMED_OUT),
                    TimeUnit.SECONDS.toNanos(timeout) + Math.max(0, early), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * How long before its fire time the trigger arrived: the admin sends scheduled shards a little
     * early so that the handler starts on time. Triggers from the past, and any more than
     * {@link #MAX_EARLY} ahead (a clock far off), start at once.
     */
    private long startDelayNanos(ShardExecution execution) {
        Instant due = execution.trigger.scheduledAt();
        if (due == null) {
            return 0;
        }
        long nanos = Duration.between(clock.instant(), due).toNanos();
        return nanos > 0 && nanos <= MAX_EARLY.toNanos() ? nanos : 0;
    }

    /** Parks until {@code dueNanos} ({@link System#nanoTime()}), or until the shard is stopped meanwhile. */
    private static void waitUntil(ShardExecution execution, long dueNanos) {
        for (long left = dueNanos - System.nanoTime(); left > 0 && execution.stopReason() == null;
             left = dueNanos - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    /** @param dueNanos when to start the handler ({@link System#nanoTime()}), or 0 for now */
    private void run(ShardExecution execution, long dueNanos) {
        Instant startedAt = clock.instant();
        HandlerResult result;
        try (FileShardLog shardLog = new FileShardLog(
                logs.file(execution.key.runId(), execution.key.shard(), execution.trigger.attempt()), clock)) {
            if (dueNanos != 0) {
                waitUntil(execution, dueNanos);
                startedAt = clock.instant();
            }
            if (!execution.begin(Thread.currentThread(), startedAt)) {
                result = new HandlerResult(execution.stopReason().status(), "stopped before it started", null);
            } else {
                result = invoke(execution, shardLog);
                execution.end();
                Thread.interrupted();
            }
        } catch (RuntimeException e) {
            execution.end();
            Thread.interrupted();
            log.error("cannot run {}: {}", execution.key, e.toString());
            result = HandlerResult.failed("the agent could not run the shard: " + e.getMessage());
        }
        synchronized (this) {
            execution.state(ShardExecution.State.FINISHING);
        }
        finish(execution, result, startedAt);
    }

    private HandlerResult invoke(ShardExecution execution, FileShardLog shardLog) {
        shardLog.info("shard {}/{} of run {} (job {}), attempt {}, on {} with devices {}, fencing token {}",
                execution.key.shard(), execution.trigger.shardTotal(), execution.key.runId(), execution.trigger.jobName(),
                execution.trigger.attempt(), executorId, execution.trigger.devices(), execution.claim.fencingToken());
        HandlerResult result;
        try {
            result = execution.handler.handle(new DefaultShardContext(execution, shardLog));
            if (result == null) {
                result = HandlerResult.succeeded();
            }
        } catch (InterruptedException e) {
            result = HandlerResult.failed("interrupted");
        } catch (Exception | LinkageError | AssertionError e) {
            shardLog.error("handler failed", e);
            result = HandlerResult.failed(e.getMessage() == null ? e.getClass().getName() : e.getMessage());
        }
        StopReason reason = execution.stopReason();
        if (reason != null) {
            result = new HandlerResult(reason.status(), "stopped: " + reason
                    + (result.message().isEmpty() ? "" : " (" + result.message() + ")"), result.exitCode());
        }
        shardLog.info("shard finished: {} {}", result.status(), result.message());
        return result;
    }

    private void finish(ShardExecution execution, HandlerResult result, Instant startedAt) {
        if (execution.timeout != null) {
            execution.timeout.cancel(false);
        }
        StopReason reason = execution.stopReason();
        if (reason != null && !reason.recordsResult()) {
            log.warn("{} stopped ({}); giving its claim back without a result", execution.key, reason);
            release(execution.claim).whenComplete((v, e) -> released(execution));
            return;
        }
        ShardResult shardResult = new ShardResult(WireMessage.PROTOCOL_VERSION, execution.key.runId(), execution.key.shard(),
                execution.trigger.attempt(), execution.trigger.jobId(), executorId, result.status(), result.exitCode(),
                result.message(), startedAt, clock.instant(), execution.claim.fencingToken());
        complete(execution, shardResult);
    }

    private void complete(ShardExecution execution, ShardResult result) {
        claims.complete(execution.claim, result).whenComplete((completion, error) -> {
            Completion outcome = error == null ? completion : Completion.UNREACHABLE;
            switch (outcome) {
                case DONE -> {
                    reports.submit(result, execution.trigger.reportTo());
                    released(execution);
                }
                case STALE -> {
                    log.error("STALE RESULT NOT RECORDED: {} finished {} but its claim (fencing token {}) is no longer"
                            + " ours; another executor may hold the shard now", execution.key, result.status(),
                            result.fencingToken());
                    released(execution);
                }
                case UNREACHABLE -> {
                    if (closed.get()) {
                        log.warn("{} finished {} but ZooKeeper is unreachable and the agent is closing; its claim"
                                + " expires with the session", execution.key, result.status());
                        released(execution);
                        return;
                    }
                    log.warn("{} finished {} but ZooKeeper is unreachable; retrying in {} ms", execution.key,
                            result.status(), COMPLETION_RETRY.toMillis());
                    try {
                        scheduler.schedule(() -> complete(execution, result), COMPLETION_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException e) {
                        released(execution);
                    }
                }
            }
        });
    }

    /** Gives a claim back, trying again while ZooKeeper is unreachable; completes once it is gone or no longer ours. */
    public CompletionStage<Void> release(Claim claim) {
        CompletableFuture<Void> released = new CompletableFuture<>();
        releaseUntilSettled(claim, released);
        return released;
    }

    private void releaseUntilSettled(Claim claim, CompletableFuture<Void> released) {
        claims.release(claim).whenComplete((outcome, error) -> {
            if (error == null && outcome != Completion.UNREACHABLE || closed.get()) {
                released.complete(null);
                return;
            }
            try {
                scheduler.schedule(() -> releaseUntilSettled(claim, released), COMPLETION_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                released.complete(null);
            }
        });
    }

    /** The shard no longer holds a claim here: free its slot and start what waited for it. */
    private void released(ShardExecution execution) {
        synchronized (this) {
            held.remove(execution.key, execution);
            startWaiting(execution.trigger.jobId());
            notifyAll();
        }
        leases.remove(execution.key);
    }

    // Guarded by this.
    private void startWaiting(long jobId) {
        ArrayDeque<ShardExecution> queue = waiting.get(jobId);
        if (queue == null || queue.isEmpty()) {
            waiting.remove(jobId);
            return;
        }
        boolean jobRuns = held.values().stream().anyMatch(e -> e.trigger.jobId() == jobId
                && e.state() != ShardExecution.State.QUEUED);
        if (jobRuns || closed.get()) {
            return;
        }
        long nextRun = queue.peek().key.runId();
        for (Iterator<ShardExecution> it = queue.iterator(); it.hasNext(); ) {
            ShardExecution next = it.next();
            if (next.key.runId() == nextRun) {
                it.remove();
                start(next);
            }
        }
    }

    /** Stops every shard and waits up to {@code wait} for them to give their claims back. */
    public void close(Duration wait) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopAll(StopReason.AGENT_CLOSED);
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            while (!held.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.warn("closing with {} shard(s) still stopping", held.size());
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
