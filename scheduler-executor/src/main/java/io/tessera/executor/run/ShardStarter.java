package io.tessera.executor.run;

import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.log.FileShardLog;
import io.tessera.executor.log.ShardLogFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts held shards' handlers: a shard whose fire time is ahead waits on the start timer, without a
 * thread; at its time (or at once) it goes to a worker thread, which runs the handler with the
 * shard's log. Whatever happens between the timer and the handler call is kept small: no file, no
 * JSON, no lock of the runner.
 */
final class ShardStarter {

    /** Triggers that arrive up to this long before their fire time wait for it; further ahead, a clock is off. */
    static final Duration MAX_EARLY = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ShardStarter.class);

    /** Where a shard goes once its handler returned, or once it cannot start. */
    @FunctionalInterface
    interface Finisher {
        void finish(ShardExecution execution, HandlerResult result, Instant startedAt);
    }

    private final String executorId;
    private final ShardLogFiles logs;
    private final Executor workers;
    private final ScheduledExecutorService startTimer;
    private final Clock clock;
    private final Finisher finisher;
    /** Shards waiting for their start, by due epoch millisecond; guarded by itself. */
    private final Map<Long, List<ShardExecution>> bursts = new HashMap<>();

    ShardStarter(String executorId, ShardLogFiles logs, Executor workers, ScheduledExecutorService startTimer, Clock clock,
                 Finisher finisher) {
        this.executorId = executorId;
        this.logs = logs;
        this.workers = workers;
        this.startTimer = startTimer;
        this.clock = clock;
        this.finisher = finisher;
    }

    /**
     * How long before its fire time the shard is: the admin sends scheduled shards a little early so
     * that the handler starts on time. Shards due already, and any more than {@link #MAX_EARLY}
     * ahead (a clock far off), start at once: 0.
     */
    long nanosUntilFire(ShardExecution execution) {
        Instant due = execution.trigger.scheduledAt();
        if (due == null) {
            return 0;
        }
        long nanos = Duration.between(clock.instant(), due).toNanos();
        return nanos > 0 && nanos <= MAX_EARLY.toNanos() ? nanos : 0;
    }

    /**
     * Readies a QUEUED shard: one due later waits on the start timer; one due now becomes RUNNING
     * and must be {@link #handOff handed off} by the caller, outside any lock it holds. Does nothing
     * to a shard stopped meanwhile (it is no longer QUEUED).
     *
     * @return whether the caller must hand the shard off now
     */
    boolean ready(ShardExecution execution, long early) {
        if (early > 0) {
            if (execution.moveTo(ShardExecution.State.QUEUED, ShardExecution.State.SCHEDULED)) {
                schedule(execution, early);
            }
            return false;
        }
        return execution.moveTo(ShardExecution.State.QUEUED, ShardExecution.State.RUNNING);
    }

    /**
     * Shards due at the same millisecond (every shard of a cron burst) share one timer task: a burst
     * of thousands costs one wake-up of the start timer, not thousands of timer entries.
     */
    private void schedule(ShardExecution execution, long nanos) {
        long dueMillis = clock.millis() + TimeUnit.NANOSECONDS.toMillis(nanos);
        if (execution.trigger.scheduledAt() != null) {
            dueMillis = Math.max(dueMillis, execution.trigger.scheduledAt().toEpochMilli());
        }
        boolean first;
        synchronized (bursts) {
            List<ShardExecution> burst = bursts.get(dueMillis);
            first = burst == null;
            if (first) {
                burst = new ArrayList<>();
                bursts.put(dueMillis, burst);
            }
            burst.add(execution);
        }
        if (!first) {
            return;
        }
        long due = dueMillis;
        try {
            startTimer.schedule(() -> startBurst(due), nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            for (ShardExecution waiting : takeBurst(due)) {
                if (waiting.moveTo(ShardExecution.State.SCHEDULED, ShardExecution.State.FINISHING)) {
                    cannotStart(waiting, e);
                }
            }
        }
    }

    private List<ShardExecution> takeBurst(long dueMillis) {
        synchronized (bursts) {
            List<ShardExecution> burst = bursts.remove(dueMillis);
            return burst == null ? List.of() : burst;
        }
    }

    /** On the start timer, at a burst's fire time. */
    private void startBurst(long dueMillis) {
        for (ShardExecution execution : takeBurst(dueMillis)) {
            startDue(execution);
        }
    }

    /** On the start timer, at the fire time. */
    private void startDue(ShardExecution execution) {
        long early = nanosUntilFire(execution);
        if (early > 0) {
            // The wall clock runs a little behind the timer's: a handler never starts before its fire time.
            schedule(execution, early);
        } else if (execution.moveTo(ShardExecution.State.SCHEDULED, ShardExecution.State.RUNNING)) {
            handOff(execution);
        }
    }

    /** Gives a RUNNING shard to a worker thread; a stop meanwhile is seen there, before the handler. */
    void handOff(ShardExecution execution) {
        try {
            workers.execute(() -> run(execution));
        } catch (RejectedExecutionException e) {
            execution.state(ShardExecution.State.FINISHING);
            cannotStart(execution, e);
        }
    }

    private void cannotStart(ShardExecution execution, RejectedExecutionException e) {
        log.error("cannot start {}: {}", execution.key, e.getMessage());
        finisher.finish(execution, HandlerResult.failed("the agent could not start the shard: " + e.getMessage()),
                clock.instant());
    }

    /** On a worker thread. */
    private void run(ShardExecution execution) {
        Instant startedAt = clock.instant();
        if (!execution.begin(Thread.currentThread(), startedAt)) {
            execution.state(ShardExecution.State.FINISHING);
            finisher.finish(execution, new HandlerResult(execution.stopReason().status(),
                    execution.stop().describe("before it started"), null), startedAt);
            return;
        }
        HandlerResult result;
        FileShardLog shardLog = new FileShardLog(
                logs.file(execution.key.runId(), execution.key.shard(), execution.trigger.attempt()), clock,
                () -> header(execution));
        try {
            result = invoke(execution, shardLog);
        } catch (RuntimeException e) {
            log.error("cannot run {}", execution.key, e);
            result = HandlerResult.failed("the agent could not run the shard: " + e.getMessage());
        } finally {
            execution.end();
            Thread.interrupted();
            shardLog.close();
        }
        execution.state(ShardExecution.State.FINISHING);
        finisher.finish(execution, result, startedAt);
    }

    private HandlerResult invoke(ShardExecution execution, FileShardLog shardLog) {
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
        ShardStop stop = execution.stop();
        if (stop != null) {
            result = new HandlerResult(stop.reason().status(), stop.describe()
                    + (result.message().isEmpty() ? "" : " (" + result.message() + ")"), result.exitCode());
        }
        shardLog.infoIfOpen("shard finished: {} {}", result.status(), result.message());
        return result;
    }

    private String header(ShardExecution execution) {
        return "shard " + execution.key.shard() + "/" + execution.trigger.shardTotal() + " of run " + execution.key.runId()
                + " (job " + execution.trigger.jobName() + "), attempt " + execution.trigger.attempt() + ", on " + executorId
                + " with devices " + execution.trigger.devices() + ", fencing token " + execution.claim.fencingToken();
    }
}
