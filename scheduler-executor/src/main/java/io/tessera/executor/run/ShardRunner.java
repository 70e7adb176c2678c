package io.tessera.executor.run;

import io.tessera.core.model.DeviceId;
import io.tessera.core.wire.ExecutorStatus;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.executor.claim.Claim;
import io.tessera.executor.claim.ClaimService;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.log.FileShardLog;
import io.tessera.executor.log.ShardLogFiles;
import io.tessera.executor.report.ResultBatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Owns the shards this agent holds: admits claimed shards (slots, block strategies), has them
 * started ({@link ShardStarter}), stops them (kill, timeout, replacement, connection loss, close),
 * and frees their slot once they are finished ({@link ShardFinisher}).
 */
public final class ShardRunner implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(ShardRunner.class);

    private final int slots;
    private final ClaimService claims;
    private final ShardLogFiles logs;
    private final ShardThreads threads;
    private final Clock clock;
    private final BooleanSupplier connected;
    private final ShardLeases leases;
    private final ShardStarter starter;
    private final ShardFinisher finisher;
    /** Guarded by this: queued, scheduled, running and finishing shards. */
    private final HeldShards held = new HeldShards();
    /** Guarded by this: shards of later runs waiting behind a running run of the same job (SERIAL). */
    private final Map<Long, ArrayDeque<ShardExecution>> waiting = new HashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param connected whether the connection policy allows new shards now; read under the runner's
     *                  lock, so a shard admitted concurrently with a connection loss is always among
     *                  those the loss stops
     * @param pastDeadline whether the connection policy's deadline has passed: a handler that returns
     *                     then counts as stopped for lost connection, and records no result
     */
    public ShardRunner(String executorId, int slots, ClaimService claims, ResultBatcher reports, ShardLogFiles logs,
                       ShardLeases leases, ShardThreads threads, Clock clock, BooleanSupplier connected,
                       BooleanSupplier pastDeadline) {
        this.slots = slots;
        this.claims = claims;
        this.logs = logs;
        this.leases = leases;
        this.threads = threads;
        this.clock = clock;
        this.connected = connected;
        this.finisher = new ShardFinisher(executorId, claims, reports, threads.timers(), clock, closed::get, pastDeadline,
                this::released);
        this.starter = new ShardStarter(executorId, logs, threads.workers(), threads.startTimer(), clock, finisher::finish);
    }

    /** Reserves a shard before claiming it; false when this agent already claims or holds it. */
    public boolean reserve(ShardKey key) {
        return !closed.get() && leases.reserve(key);
    }

    /** Undoes {@link #reserve} once the claim was refused or given back. */
    public void unreserve(ShardKey key) {
        leases.release(key);
    }

    /**
     * Decides what happens to shards whose claims this agent now holds, in order, under one lock;
     * those due now go to worker threads after the lock is let go.
     */
    List<Admission> admitAll(List<ShardExecution> executions) {
        long session = claims.sessionId();
        List<Admission> admissions = new ArrayList<>(executions.size());
        List<ShardExecution> dueNow = new ArrayList<>();
        synchronized (this) {
            for (ShardExecution execution : executions) {
                admissions.add(admit(execution, session, dueNow));
            }
        }
        dueNow.forEach(starter::handOff);
        return admissions;
    }

    // Guarded by this.
    private Admission admit(ShardExecution execution, long session, List<ShardExecution> dueNow) {
        if (closed.get()) {
            return new Admission(TriggerOutcome.UNAVAILABLE, "the agent is closing");
        }
        if (!connected.getAsBoolean() || session != execution.claim.sessionId()) {
            return new Admission(TriggerOutcome.UNAVAILABLE, "the ZooKeeper session changed while claiming");
        }
        long jobId = execution.trigger.jobId();
        long runId = execution.key.runId();
        Optional<Long> other = held.anotherRun(jobId, runId);
        if (other.isEmpty() || held.runStarted(jobId, runId)) {
            if (held.size() >= slots) {
                return noSlot();
            }
            held.add(execution);
            start(execution, dueNow);
            return new Admission(TriggerOutcome.ACCEPTED, "");
        }
        return switch (execution.trigger.blockStrategy()) {
            case DISCARD_NEW -> new Admission(TriggerOutcome.DISCARDED,
                    "job " + execution.trigger.jobName() + " already runs here (run " + other.get() + ")");
            case SERIAL -> {
                if (held.size() >= slots) {
                    yield noSlot();
                }
                held.add(execution);
                waiting.computeIfAbsent(jobId, id -> new ArrayDeque<>()).add(execution);
                yield new Admission(TriggerOutcome.QUEUED, "waits behind run " + other.get());
            }
            case REPLACE_OLD -> {
                held.ofOtherRuns(jobId, runId).forEach(old -> stop(old, StopReason.REPLACED));
                held.add(execution);
                start(execution, dueNow);
                yield new Admission(TriggerOutcome.ACCEPTED, "replaced run " + other.get());
            }
        };
    }

    private Admission noSlot() {
        return new Admission(TriggerOutcome.NO_SLOT, "all " + slots + " slots are taken");
    }

    /**
     * Guarded by this. Adds the shard to {@code dueNow} when it starts at once; the caller hands
     * those off once it let the lock go. The timeout counts from the fire time, so it is set before
     * the start can happen.
     */
    private void start(ShardExecution execution, List<ShardExecution> dueNow) {
        long early = starter.nanosUntilFire(execution);
        int timeout = execution.trigger.timeoutSeconds();
        if (timeout > 0) {
            execution.timeout = threads.timers().schedule(() -> stop(execution, StopReason.TIMED_OUT),
                    TimeUnit.SECONDS.toNanos(timeout) + early, TimeUnit.NANOSECONDS);
        }
        if (starter.ready(execution, early)) {
            dueNow.add(execution);
        }
    }

    /** Stops a held shard; false when it is not held here (or already stopped). */
    public boolean stop(ShardKey key, StopReason reason) {
        return stop(key, ShardStop.of(reason));
    }

    /**
     * Stops a held shard to make room for a run of higher priority: its handler sees
     * {@code isPreempted()}, a command's process tree gets {@code grace} between SIGTERM and SIGKILL
     * (zero: the agent's kill grace), and the result says {@code preempted: <reason>}. The shard keeps
     * its claim until its handler returns, like any stopped shard. False when it is not held here (or already stopped).
     */
    public boolean preempt(ShardKey key, String reason, Duration grace) {
        return stop(key, ShardStop.preemption(reason, grace));
    }

    private boolean stop(ShardKey key, ShardStop stop) {
        ShardExecution execution;
        synchronized (this) {
            execution = held.get(key);
        }
        return execution != null && stop(execution, stop);
    }

    /** Stops every held shard, e.g. when the ZooKeeper session is gone. @return how many */
    public int stopAll(StopReason reason) {
        List<ShardExecution> all;
        synchronized (this) {
            all = new ArrayList<>(held.all());
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
        return stop(execution, ShardStop.of(reason));
    }

    /**
     * Records the stop and interrupts the handler's thread, if it has one. A shard that has not
     * started (queued, or waiting for its fire time) is finished here without running its handler.
     */
    private boolean stop(ShardExecution execution, ShardStop stop) {
        if (!execution.stop(stop)) {
            return false;
        }
        String notStarted = null;
        synchronized (this) {
            if (execution.moveTo(ShardExecution.State.QUEUED, ShardExecution.State.FINISHING)) {
                ArrayDeque<ShardExecution> queue = waiting.get(execution.trigger.jobId());
                if (queue != null) {
                    queue.remove(execution);
                }
                notStarted = "while queued";
            } else if (execution.moveTo(ShardExecution.State.SCHEDULED, ShardExecution.State.FINISHING)) {
                notStarted = "before it started";
            }
        }
        if (notStarted != null) {
            finisher.finish(execution, new HandlerResult(stop.reason().status(), stop.describe(notStarted), null),
                    clock.instant());
        }
        return true;
    }

    public synchronized int heldCount() {
        return held.size();
    }

    public synchronized List<ExecutorStatus.RunningShard> running() {
        return held.all().stream()
                .map(e -> new ExecutorStatus.RunningShard(e.key.runId(), e.key.shard(), e.trigger.jobName(),
                        e.trigger.attempt(), e.trigger.devices(), e.startedAt(), e.claim.fencingToken()))
                .toList();
    }

    /** Devices given to shards that run or wait here. */
    public synchronized Collection<DeviceId> busyDevices() {
        return held.all().stream().flatMap(e -> e.trigger.devices().stream()).toList();
    }

    /**
     * Writes a line into the log of every shard here that holds the device (e.g. that it turned
     * unhealthy); the shards go on running. Returns how many were told.
     */
    public int tellShardsOn(DeviceId device, String message) {
        List<ShardExecution> holding;
        synchronized (this) {
            holding = held.all().stream().filter(e -> e.trigger.devices().contains(device)).toList();
        }
        for (ShardExecution execution : holding) {
            try (FileShardLog shardLog = new FileShardLog(
                    logs.file(execution.key.runId(), execution.key.shard(), execution.trigger.attempt()), clock)) {
                shardLog.info("{}", message);
            }
        }
        return holding.size();
    }

    /** Whether the shard still runs or waits here (its log may grow). */
    public synchronized boolean holds(ShardKey key) {
        return held.contains(key);
    }

    /** Whether a log file belongs to a shard held here. */
    public synchronized boolean logInUse(Path file) {
        return held.all().stream().anyMatch(e -> logs.file(e.key.runId(), e.key.shard(), e.trigger.attempt()).equals(file));
    }

    /** Gives a claim back, trying again while ZooKeeper is unreachable; completes once it is gone or no longer ours. */
    public CompletionStage<Void> release(Claim claim) {
        return finisher.release(claim);
    }

    /** The shard no longer holds a claim here: free its slot and start what waited for it. */
    private void released(ShardExecution execution) {
        List<ShardExecution> dueNow = new ArrayList<>();
        synchronized (this) {
            held.remove(execution);
            startWaiting(execution.trigger.jobId(), dueNow);
            notifyAll();
        }
        leases.release(execution.key);
        dueNow.forEach(starter::handOff);
    }

    // Guarded by this.
    private void startWaiting(long jobId, List<ShardExecution> dueNow) {
        ArrayDeque<ShardExecution> queue = waiting.get(jobId);
        if (queue == null) {
            return;
        }
        if (queue.isEmpty()) {
            waiting.remove(jobId);
            return;
        }
        if (closed.get() || held.jobStarted(jobId)) {
            return;
        }
        long nextRun = queue.peek().key.runId();
        for (Iterator<ShardExecution> it = queue.iterator(); it.hasNext(); ) {
            ShardExecution next = it.next();
            if (next.key.runId() == nextRun) {
                it.remove();
                start(next, dueNow);
            }
        }
        if (queue.isEmpty()) {
            waiting.remove(jobId);
        }
    }

    /** Stops every shard and waits up to {@code wait} for them to give their claims back. Idempotent. */
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
