package io.tessera.executor.run;

import io.tessera.core.wire.TriggerRequest;
import io.tessera.executor.claim.Claim;
import io.tessera.executor.handler.ShardHandler;

import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/** A shard this agent holds the claim of: queued, running or finishing. */
final class ShardExecution {

    enum State { QUEUED, RUNNING, FINISHING }

    final ShardKey key;
    final TriggerRequest trigger;
    final Claim claim;
    final ShardHandler handler;
    final long receivedNanos;
    private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
    private volatile State state = State.QUEUED;
    private volatile Instant startedAt;
    private Thread worker;
    volatile Future<?> timeout;

    ShardExecution(TriggerRequest trigger, Claim claim, ShardHandler handler, long receivedNanos) {
        this.key = new ShardKey(trigger.runId(), trigger.shardIndex());
        this.trigger = trigger;
        this.claim = claim;
        this.handler = handler;
        this.receivedNanos = receivedNanos;
    }

    State state() {
        return state;
    }

    void state(State state) {
        this.state = state;
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
