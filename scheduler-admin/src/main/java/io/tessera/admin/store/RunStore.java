package io.tessera.admin.store;

import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs and their shards. Implementations are thread-safe and batch where they can. */
public interface RunStore {

    /**
     * Records new runs, each with {@code shardTotal} PENDING shard rows, in as few round trips as it
     * can. A run whose (job, scheduled time, trigger kind, parent run), or whose idempotency key, is already
     * recorded is skipped, not an error: that is how a fire is recorded exactly once whichever admin
     * records it.
     *
     * @return the runs actually inserted, with their ids, in input order
     */
    List<JobRun> insertAll(List<NewRun> runs);

    Optional<JobRun> find(long runId);

    Optional<JobRun> findByIdempotencyKey(long jobId, String key);

    List<ShardRun> shards(long runId);

    /**
     * The shards of many runs at once, each run's ordered by shard index, in a few queries instead
     * of one per run. Every requested id is a key of the unmodifiable result: a run without shards,
     * or one that does not exist, maps to an empty list. An empty input returns an empty map
     * without touching the database.
     */
    Map<Long, List<ShardRun>> shardsOf(Collection<Long> runIds);

    /**
     * The preemptions recorded for these runs, each run's oldest first; a run without any is absent
     * from the result. An empty input returns an empty map without touching the database.
     */
    Map<Long, List<RunChange.Preempted>> preemptionsOf(Collection<Long> runIds);

    /** Runs that are not finished (PENDING, WAITING, RUNNING), oldest first: reconciliation's input. */
    List<JobRun> listOpen();

    /** A page of runs, newest first; null filters mean "any". */
    List<JobRun> list(Long jobId, RunStatus status, Instant from, Instant to, int offset, int limit);

    long count(Long jobId, RunStatus status, Instant from, Instant to);

    /**
     * How many runs scheduled at or after {@code since} are in each status, in one grouped query;
     * statuses without runs are left out.
     */
    Map<RunStatus, Long> countByStatusSince(Instant since);

    /** At most {@code limit} runs in any of {@code statuses}, the earliest scheduled first. */
    List<JobRun> listOldest(Set<RunStatus> statuses, int limit);

    /** At most {@code limit} runs in any of {@code statuses}, the latest scheduled first. */
    List<JobRun> listNewest(Set<RunStatus> statuses, int limit);

    /**
     * {@link #count}, but stops counting at {@code cap}: its cost is bounded by {@code cap} whatever
     * the number of stored runs, for views that need "how many, or at least that many".
     */
    long countUpTo(Long jobId, RunStatus status, Instant from, Instant to, int cap);

    /** The latest scheduled (CRON or FIXED_RATE) fire time recorded for a job: where misfire handling starts. */
    Optional<Instant> lastScheduledFire(long jobId);

    /** {@link #lastScheduledFire} of many jobs in one query; jobs without a scheduled fire are left out. */
    Map<Long, Instant> lastScheduledFires(Collection<Long> jobIds);

    /** Status and finish time of these runs, in a few queries; runs that do not exist are left out. */
    Map<Long, RunState> states(Collection<Long> runIds);

    void updateRun(long runId, RunStatus status, int attempt, Instant startedAt, Instant finishedAt, String message);

    /**
     * Records a shard's final result only if the shard is not already final for that attempt or a
     * later one. Returns false when it was (a duplicate report): the caller acknowledges anyway.
     */
    boolean completeShard(ShardRun result);

    /**
     * {@link #completeShard} for many results in one transaction. For each result, in order, false
     * when the database says it changed nothing (the shard was already final for that attempt or a
     * later one, or does not exist); true when it was stored now, or when the database does not say
     * (MariaDB's bulk batches do not).
     */
    List<Boolean> completeShards(List<ShardRun> results);

    /**
     * Applies the changes in order, in one transaction: all of them or, when it throws, none.
     * {@link org.springframework.dao.DataIntegrityViolationException} (from Spring, as every store
     * error) means one of them can never be written; the caller finds it by applying them one by one.
     */
    void apply(List<RunChange> changes);

    /** A run's status and when it finished (null while open). */
    record RunState(RunStatus status, Instant finishedAt) {
    }

    /**
     * A run and the shards it starts with; {@code idempotencyKey} may be null. A CHILD run names its
     * {@code parentRunId}: it is recorded once per parent run (null for every other run).
     */
    record NewRun(JobRun run, String idempotencyKey, Long parentRunId) {
        public NewRun(JobRun run, String idempotencyKey) {
            this(run, idempotencyKey, null);
        }
    }
}
