package io.tessera.admin.engine;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A run the leader is driving, with the live state of each shard. Confined to the engine thread. */
final class ActiveRun {

    final JobRun run;
    final JobDefinition job;
    final Shard[] shards;
    int attempt;
    /** The run's status as last recorded. */
    RunStatus status;
    Instant startedAt;
    boolean cancelled;
    /** A gang waiting for its remaining ranks to stop before it restarts whole. */
    boolean gangRestarting;
    String failure;
    Instant waitingSince;
    String waitReason;
    String masterHost;
    int masterPort = -1;
    /** Attempts of the whole gang that were preempted: they do not count against the job's retries. */
    int preemptions;
    /** The gang restarts because it was preempted, not because a rank failed. */
    boolean restartPreempted;
    /** Shards this run stopped to make room for itself, while they stop: no second preemption meanwhile. */
    final List<Victim> victims = new ArrayList<>();
    /** When this run last preempted: a victim that never answers does not block it for ever. */
    Instant preemptedAt;

    ActiveRun(JobRun run, JobDefinition job, List<ShardRun> rows) {
        this.run = run;
        this.job = job;
        this.attempt = Math.max(1, run.attempt());
        this.status = run.status();
        this.startedAt = run.startedAt();
        int total = Math.max(run.shardTotal(), rows.stream().mapToInt(row -> row.shardIndex() + 1).max().orElse(0));
        this.shards = new Shard[total];
        for (int i = 0; i < total; i++) {
            shards[i] = new Shard(i);
        }
        for (ShardRun row : rows) {
            Shard shard = shards[row.shardIndex()];
            shard.state = switch (row.status()) {
                case PENDING, WAITING -> ShardState.PENDING;
                case RUNNING -> ShardState.RUNNING;
                case SUCCEEDED -> ShardState.SUCCEEDED;
                case FAILED -> ShardState.FAILED;
                case TIMED_OUT -> ShardState.TIMED_OUT;
                case CANCELLED -> ShardState.CANCELLED;
            };
            shard.executorId = row.executorId();
            shard.attempt = Math.max(1, row.attempt());
            shard.devices = row.devices();
            shard.startedAt = row.startedAt();
            shard.finishedAt = row.finishedAt();
            shard.exitCode = row.exitCode();
            shard.message = row.message();
        }
    }

    /**
     * Takes over what a previous leader recorded of this run's preemptions: earlier preempted attempts
     * use no retry; a current attempt still running is being stopped ({@link Shard#preemption}).
     *
     * @return the shards whose current attempt was preempted and has ended, but was not put back in
     *         the queue yet (the previous leader stopped before it could)
     */
    List<Shard> countPreemptions(List<io.tessera.admin.store.RunChange.Preempted> preempted) {
        Set<Integer> gangAttempts = new HashSet<>();
        List<Shard> ended = new ArrayList<>();
        for (io.tessera.admin.store.RunChange.Preempted one : preempted) {
            if (one.shardIndex() >= shards.length) {
                continue;
            }
            Shard shard = shards[one.shardIndex()];
            if (one.attempt() < shard.attempt) {
                shard.preemptions++;
            } else if (one.attempt() == shard.attempt && !shard.state.isTerminal()) {
                shard.preemption = one.reason(); // still stopping: its result re-queues it
            } else if (one.attempt() == shard.attempt && shard.state != ShardState.SUCCEEDED && !ended.contains(shard)) {
                shard.message = "preempted: " + one.reason();
                ended.add(shard);
            }
            if (one.attempt() < attempt) {
                gangAttempts.add(one.attempt());
            }
        }
        preemptions = gangAttempts.size();
        return ended;
    }

    /** A run that starts now: every shard PENDING, attempt 1. */
    static ActiveRun fresh(JobRun run, JobDefinition job) {
        return new ActiveRun(run, job, List.of());
    }

    long id() {
        return run.id();
    }

    List<Integer> shardsIn(ShardState state) {
        List<Integer> indices = new ArrayList<>();
        for (Shard shard : shards) {
            if (shard.state == state) {
                indices.add(shard.index);
            }
        }
        return indices;
    }

    boolean allTerminal() {
        for (Shard shard : shards) {
            if (!shard.state.isTerminal()) {
                return false;
            }
        }
        return true;
    }

    /** Higher priority first, then older (smaller id) first: the order waiting runs are placed in. */
    static final java.util.Comparator<ActiveRun> RANK = java.util.Comparator
            .comparingInt((ActiveRun run) -> -run.job.priority())
            .thenComparingLong(ActiveRun::id);

    /** Whether this run is placed before {@code other}. */
    boolean ranksAhead(ActiveRun other) {
        return RANK.compare(this, other) < 0;
    }

    /** Whether a shard of this run is being stopped by a preemption. */
    boolean beingPreempted() {
        for (Shard shard : shards) {
            if (shard.preemption != null) {
                return true;
            }
        }
        return false;
    }

    /** A shard this run preempted, and the attempt that was stopped. */
    record Victim(ActiveRun run, Shard shard, int attempt) {
        boolean stillStopping() {
            return shard.attempt == attempt && shard.preemption != null;
        }
    }

    /** Whether a shard is placed or held somewhere (not pending, not finished). */
    boolean anyOut() {
        for (Shard shard : shards) {
            if (shard.state == ShardState.DISPATCHED || shard.state == ShardState.RUNNING) {
                return true;
            }
        }
        return false;
    }

    /** Whether a shard of this run is placed on or held by that executor now. */
    boolean holds(String executorId) {
        for (Shard shard : shards) {
            boolean out = shard.state == ShardState.DISPATCHED || shard.state == ShardState.RUNNING;
            if (out && executorId != null && executorId.equals(shard.executorId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The run's final status once every shard is terminal. A shard stopped on purpose (cancelled,
     * replaced by a newer run, discarded) makes the run CANCELLED, not FAILED: nothing went wrong.
     */
    RunStatus outcome() {
        if (cancelled) {
            return RunStatus.CANCELLED;
        }
        boolean timedOut = false;
        boolean stopped = false;
        for (Shard shard : shards) {
            if (shard.state == ShardState.FAILED) {
                return RunStatus.FAILED;
            }
            timedOut |= shard.state == ShardState.TIMED_OUT;
            stopped |= shard.state == ShardState.CANCELLED;
        }
        return timedOut ? RunStatus.TIMED_OUT : stopped ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
    }

    /** One shard's live state. */
    static final class Shard {
        final int index;
        ShardState state = ShardState.PENDING;
        String executorId;
        String address;
        /** The executor's member node when the shard was sent: a re-registered executor is another session. */
        String registration;
        int attempt = 1;
        List<DeviceId> devices = List.of();
        Instant startedAt;
        Instant finishedAt;
        Instant dispatchedAt;
        Integer exitCode;
        String message;
        /** Devices and a slot are held in the ledger for this shard. */
        boolean holding;
        /** Times the same attempt was sent again to the same executor after its trigger went unanswered. */
        int resends;
        /** Why this attempt is being stopped by a preemption (for whom); null when it is not. */
        String preemption;
        /** Attempts of this shard that were preempted: they do not count against the job's retries. */
        int preemptions;
        /** Executors that refused this shard lately; placement avoids them. */
        final Set<String> refusedBy = new HashSet<>();

        Shard(int index) {
            this.index = index;
        }

        /** Applies an event; true when it moved the shard. */
        boolean on(ShardState.Event event) {
            ShardState next = state.on(event);
            if (next == state) {
                return false;
            }
            state = next;
            return true;
        }

        ShardRun row(long runId) {
            return new ShardRun(runId, index, state.stored(), executorId, attempt, devices, startedAt, finishedAt, exitCode, message);
        }
    }
}
