package io.tessera.executor.run;

import io.tessera.core.wire.TriggerRequest;
import io.tessera.executor.claim.Claim;
import io.tessera.executor.handler.ShardHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/** A shard this agent holds the claim of. It has a thread only while its handler runs. */
final class ShardExecution {

    enum State {
        /** Waits behind a running run of the same job (block strategy SERIAL). */
        QUEUED,
        /** Waits for its fire time on the start timer; no thread. */
        SCHEDULED,
        /** Handed to a worker thread: its handler starts, runs, or has just returned. */
        RUNNING,
        /** Its claim is being completed or given back. */
        FINISHING
    }

    final ShardKey key;
    final TriggerRequest trigger;
    final Claim claim;
    final ShardHandler handler;
    final long receivedNanos;
    private final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
    private final AtomicReference<ShardStop> stop = new AtomicReference<>();
    /** A later stop ended the first one's own grace; guarded by this. */
    private boolean graceCut;
    private volatile Instant startedAt;
    private Thread worker; // guarded by this
    volatile Future<?> timeout;

    ShardExecution(TriggerRequest trigger, Claim claim, ShardHandler handler, long receivedNanos) {
        this.key = new ShardKey(trigger.runId(), trigger.shardIndex());
        this.trigger = trigger;
        this.claim = claim;
        this.handler = handler;
        this.receivedNanos = receivedNanos;
    }

    State state() {
        return state.get();
    }

    /** Moves from {@code from} to {@code to}; false when the shard was not in {@code from}, so someone else moved it. */
    boolean moveTo(State from, State to) {
        return state.compareAndSet(from, to);
    }

    void state(State to) {
        state.set(to);
    }

    Instant startedAt() {
        return startedAt;
    }

    /** The first stop, or null while the shard was not stopped. */
    ShardStop stop() {
        return stop.get();
    }

    StopReason stopReason() {
        ShardStop first = stop.get();
        return first == null ? null : first.reason();
    }

    Optional<String> preemptionReason() {
        ShardStop first = stop.get();
        return first == null || first.reason() != StopReason.PREEMPTED ? Optional.empty() : Optional.of(first.detail());
    }

    boolean isCancelled() {
        return stop.get() != null;
    }

    /** The grace the first stop gave a process tree, until a later stop ended it; empty for the agent's kill grace. */
    synchronized Optional<Duration> stopGrace() {
        ShardStop first = stop.get();
        return first == null || graceCut ? Optional.empty() : first.ownGrace();
    }

    /** Marks the thread that runs the handler; false when the shard was stopped before it began. */
    synchronized boolean begin(Thread thread, Instant now) {
        this.startedAt = now;
        if (stop.get() != null) {
            return false;
        }
        this.worker = thread;
        return true;
    }

    /** The handler returned: later stops must not interrupt the thread, which goes back to the pool. */
    synchronized void end() {
        this.worker = null;
    }

    boolean stop(StopReason reason) {
        return stop(ShardStop.of(reason));
    }

    /**
     * Records the first stop and interrupts the handler's thread; false when already stopped.
     *
     * <p>A preemption may give a process tree more time than the agent's kill grace. A later stop of
     * another kind (a kill, the timeout, connection trouble, the agent closing) cannot wait that long:
     * it ends that grace ({@link #stopGrace()} turns empty) and interrupts the thread again, which cuts
     * the process tree's wait to the agent's kill grace. So the connection guard's budget for a stop,
     * the kill grace, holds for preempted shards too. The first stop stays the shard's reason.
     */
    synchronized boolean stop(ShardStop next) {
        if (stop.compareAndSet(null, next)) {
            interruptWorker();
            return true;
        }
        if (!graceCut && stop.get().grace() != null && next.reason() != StopReason.PREEMPTED) {
            graceCut = true;
            interruptWorker();
        }
        return false;
    }

    // Guarded by this.
    private void interruptWorker() {
        if (worker != null) {
            worker.interrupt();
        }
    }
}
