package io.tessera.executor.handler;

import io.tessera.core.model.DeviceId;
import io.tessera.core.wire.TriggerRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a handler knows about the shard it runs. */
public interface ShardContext {

    long runId();

    long jobId();

    String jobName();

    int shardIndex();

    int shardTotal();

    int attempt();

    /**
     * The fire time this shard runs for: the cron or fixed-rate time for scheduled runs, the time of
     * the trigger for manual and API runs. The same for every shard and attempt of a run.
     */
    Instant scheduledAt();

    /** The devices placement gave this shard; empty for jobs that need none. */
    List<DeviceId> devices();

    /**
     * The claim node's creation zxid: strictly larger for every later holder of the same shard.
     * Pass it to your own storage so that it can reject writes from a stale holder.
     */
    long fencingToken();

    String params();

    /** Where rank 0 of a multi-shard run listens, or null for single-shard runs. */
    TriggerRequest.Rendezvous rendezvous();

    /** The trigger's timeout in seconds, 0 for none. */
    int timeoutSeconds();

    /** Lines written here go to the shard's log file, which is made on the first line: a silent handler leaves none. */
    ShardLog log();

    /**
     * The shard's log file, made now if it is not there yet, for handlers (such as the command
     * handler) that write to it directly.
     */
    Path logFile();

    /** True once the shard was killed, preempted, timed out or lost its claim; the thread is interrupted too. */
    boolean isCancelled();

    /**
     * True once the shard was stopped to make room for a run of higher priority (it is cancelled and
     * interrupted too): save a checkpoint before returning, the admin queues the shard again and the
     * next attempt (a higher {@link #attempt()}) may resume from it.
     */
    default boolean isPreempted() {
        return false;
    }

    /** The admin's reason for the preemption, e.g. which run needed the room; empty unless {@link #isPreempted()}. */
    default Optional<String> preemptionReason() {
        return Optional.empty();
    }

    /**
     * How long the stop lets a process tree live between SIGTERM and SIGKILL, when it named its own
     * (a preemption's grace); empty for the agent's kill grace, also once a later stop (a kill, a lost
     * ZooKeeper session, the agent closing) ended that grace early.
     */
    default Optional<Duration> stopGrace() {
        return Optional.empty();
    }

    /** {@link System#nanoTime()} when the trigger arrived, to measure start latency. */
    long receivedNanos();
}
