package io.tessera.executor.run;

import io.tessera.core.wire.TriggerRequest;
import io.tessera.executor.claim.Claim;
import io.tessera.executor.handler.ShardHandler;

import java.time.Instant;
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
    private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
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

    StopReason stopReason() {
        return stopReason.get();
    }

    boolean isCancelled() {
        return stopReason.get() != null;
    }

    /** Marks the thread that runs the handler; false when the shard was stopped before it began. */
    synchronized boolean begin(Thread thread, Instant now) {
        this.startedAt = now;
        if (stopReason.get() != null) {
            return false;
        }
        this.worker = thread;
        return true;
    }

    /** The handler returned: later stops must not interrupt the thread, which goes back to the pool. */
    synchronized void end() {
        this.worker = null;
    }

    /** Records the first reason and interrupts the handler's thread; false when already stopped. */
    synchronized boolean stop(StopReason reason) {
        if (!stopReason.compareAndSet(null, reason)) {
            return false;
        }
        if (worker != null) {
            worker.interrupt();
        }
        return true;
    }
}
