package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.RunChange;
import io.tessera.admin.store.RunStore;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link RunStore} over MyBatis.
 *
 * <p>{@link #insertAll} is built for the engine's hot path and for two admins racing each other:
 * <ol>
 *   <li>drop runs whose fire key or idempotency key is already stored (one indexed query each), and
 *       duplicates within the input;</li>
 *   <li>fast path: in one transaction, multi-row INSERTs of the runs, one query reading their ids
 *       back by fire key, multi-row INSERTs of their PENDING shards;</li>
 *   <li>if that transaction meets a unique key anyway (another admin inserted the same fire a moment
 *       ago) or a lock conflict, it is rolled back and each run is inserted in a transaction of its
 *       own, where a duplicate means "already recorded: skip".</li>
 * </ol>
 * The unique keys are the guarantee; the pre-check only keeps the fast path fast.
 */
@Repository
@DependsOnDatabaseInitialization
public class MybatisRunStore implements RunStore {

    /** Runs per multi-row statement; keeps statements well below every driver's placeholder limit. */
    static final int RUN_CHUNK = 500;
    /** Shard rows per multi-row statement. */
    static final int SHARD_CHUNK = 2_000;
    private static final int ROW_RETRIES = 5;

    private static final Logger log = LoggerFactory.getLogger(MybatisRunStore.class);

    /** Lock conflicts (a deadlock, a lock wait timeout) a batch is retried after, at once, before it fails. */
    private static final int LOCK_RETRIES = 3;

    private final RunMapper mapper;
    private final RunBatchSql sql;
    private final TransactionTemplate newTransaction;
    private final Clock clock = Clock.systemUTC();

    public MybatisRunStore(RunMapper mapper, PlatformTransactionManager transactions, JdbcTemplate jdbc) {
        this.mapper = mapper;
        this.sql = new RunBatchSql(jdbc);
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public List<JobRun> insertAll(List<NewRun> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        List<RunRow> fresh = withoutKnown(toRows(runs));
        if (fresh.isEmpty()) {
            return List.of();
        }
        try {
            List<RunRow> inserted = newTransaction.execute(status -> insertFast(fresh));
            return inserted.stream().map(RunRow::toRun).toList();
        } catch (DuplicateKeyException | ConcurrencyFailureException e) {
            log.debug("Batch of {} runs met a concurrent insert ({}); inserting one by one", fresh.size(), e.toString());
            List<JobRun> inserted = new ArrayList<>(fresh.size());
            for (RunRow row : fresh) {
                insertOne(row).ifPresent(inserted::add);
            }
            return inserted;
        }
    }

    private List<RunRow> toRows(List<NewRun> runs) {
        Instant now = clock.instant();
        // Duplicates inside the input collapse to their first occurrence, as the database would.
        Map<RunRow.FireKey, RunRow> byFire = new LinkedHashMap<>();
        Set<RunRow.IdempotencyKey> keys = new HashSet<>();
        for (NewRun run : runs) {
            RunRow row = RunRow.of(run.run(), run.idempotencyKey(), run.parentRunId(), now);
            if (row.idempotencyKey != null && !keys.add(new RunRow.IdempotencyKey(row.jobId, row.idempotencyKey))) {
                continue;
            }
            byFire.putIfAbsent(row.fireKey(), row);
        }
        return new ArrayList<>(byFire.values());
    }

    private List<RunRow> withoutKnown(List<RunRow> rows) {
        Set<RunRow.FireKey> knownFires = new HashSet<>();
        for (RunRow stored : sql.scheduledAt(rows.stream().map(row -> row.scheduledAt).toList())) {
            knownFires.add(stored.fireKey());
        }
        List<RunRow.IdempotencyKey> wanted = rows.stream().filter(r -> r.idempotencyKey != null)
                .map(r -> new RunRow.IdempotencyKey(r.jobId, r.idempotencyKey)).toList();
        Set<RunRow.IdempotencyKey> knownKeys = new HashSet<>();
        for (List<RunRow.IdempotencyKey> chunk : chunks(wanted, RUN_CHUNK)) {
            for (RunRow stored : mapper.findByIdempotencyKeys(chunk)) {
                knownKeys.add(new RunRow.IdempotencyKey(stored.jobId, stored.idempotencyKey));
            }
        }
        return rows.stream()
                .filter(r -> !knownFires.contains(r.fireKey()))
                .filter(r -> r.idempotencyKey == null || !knownKeys.contains(new RunRow.IdempotencyKey(r.jobId, r.idempotencyKey)))
                .toList();
    }

    private List<RunRow> insertFast(List<RunRow> rows) {
        sql.insertRuns(rows);
        Map<RunRow.FireKey, Long> ids = new HashMap<>();
        for (RunRow stored : sql.scheduledAt(rows.stream().map(row -> row.scheduledAt).toList())) {
            ids.put(stored.fireKey(), stored.id);
        }
        List<ShardRow> shards = new ArrayList<>();
        for (RunRow row : rows) {
            row.id = ids.get(row.fireKey());
            if (row.id == null) {
                throw new IllegalStateException("run " + row.fireKey() + " was inserted but cannot be read back");
            }
            addPendingShards(row, shards);
        }
        sql.insertShards(shards);
        return rows;
    }

    /** Inserts one run and its shards in a transaction of their own; empty when it was already recorded. */
    private Optional<JobRun> insertOne(RunRow row) {
        for (int tries = 1; ; tries++) {
            try {
                return Optional.of(newTransaction.execute(status -> {
                    mapper.insertRun(row);
                    List<ShardRow> shards = new ArrayList<>(row.shardTotal);
                    addPendingShards(row, shards);
                    for (List<ShardRow> chunk : chunks(shards, SHARD_CHUNK)) {
                        mapper.insertShards(chunk);
                    }
                    return row.toRun();
                }));
            } catch (DuplicateKeyException e) {
                row.id = null;
                return Optional.empty();
            } catch (ConcurrencyFailureException e) {
                row.id = null;
                if (tries >= ROW_RETRIES) {
                    throw e;
                }
                // Another transaction holds the key; it commits or rolls back within moments.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10L * tries));
            }
        }
    }

    private static void addPendingShards(RunRow run, List<ShardRow> into) {
        for (int shard = 0; shard < run.shardTotal; shard++) {
            into.add(ShardRow.pending(run.id, shard));
        }
    }

    @Override
    public Optional<JobRun> find(long runId) {
        return Optional.ofNullable(mapper.find(runId)).map(RunRow::toRun);
    }

    @Override
    public Optional<JobRun> findByIdempotencyKey(long jobId, String key) {
        return Optional.ofNullable(mapper.findByIdempotencyKey(jobId, key)).map(RunRow::toRun);
    }

    @Override
    public List<ShardRun> shards(long runId) {
        return mapper.shards(runId).stream().map(ShardRow::toShard).toList();
    }

    @Override
    public Map<Long, List<RunChange.Preempted>> preemptionsOf(Collection<Long> runIds) {
        return runIds.isEmpty() ? Map.of() : Map.copyOf(sql.preemptionsOf(runIds));
    }

    @Override
    public Map<Long, List<ShardRun>> shardsOf(Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        List<Long> ids = List.copyOf(new TreeSet<>(runIds));
        Map<Long, List<ShardRun>> shards = new HashMap<>();
        for (Long id : ids) {
            shards.put(id, new ArrayList<>());
        }
        for (List<Long> chunk : chunks(ids, RUN_CHUNK)) {
            for (ShardRow row : mapper.shardsOf(chunk)) {
                shards.get(row.runId).add(row.toShard());
            }
        }
        shards.replaceAll((id, list) -> List.copyOf(list));
        return Collections.unmodifiableMap(shards);
    }

    @Override
    public List<JobRun> listOpen() {
        return mapper.listOpen().stream().map(RunRow::toRun).toList();
    }

    @Override
    public List<JobRun> list(Long jobId, RunStatus status, Instant from, Instant to, int offset, int limit) {
        Paging.check(offset, limit);
        return mapper.list(jobId, status == null ? null : status.name(), from, to, offset, limit).stream()
                .map(RunRow::toRun).toList();
    }

    @Override
    public long count(Long jobId, RunStatus status, Instant from, Instant to) {
        return mapper.count(jobId, status == null ? null : status.name(), from, to);
    }

    @Override
    public Map<RunStatus, Long> countByStatusSince(Instant since) {
        Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
        for (StatusCountRow row : mapper.countByStatusSince(since)) {
            counts.put(RunStatus.valueOf(row.status), row.runs);
        }
        return counts;
    }

    @Override
    public List<JobRun> listOldest(Set<RunStatus> statuses, int limit) {
        return listByStatuses(statuses, false, limit);
    }

    @Override
    public List<JobRun> listNewest(Set<RunStatus> statuses, int limit) {
        return listByStatuses(statuses, true, limit);
    }

    private List<JobRun> listByStatuses(Set<RunStatus> statuses, boolean newestFirst, int limit) {
        Paging.check(0, limit);
        if (statuses.isEmpty() || limit == 0) {
            return List.of();
        }
        List<String> names = statuses.stream().map(RunStatus::name).sorted().toList();
        return mapper.listByStatuses(names, newestFirst, limit).stream().map(RunRow::toRun).toList();
    }

    @Override
    public long countUpTo(Long jobId, RunStatus status, Instant from, Instant to, int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be positive, was " + cap);
        }
        return mapper.countUpTo(jobId, status == null ? null : status.name(), from, to, cap);
    }

    @Override
    public Optional<Instant> lastScheduledFire(long jobId) {
        return Optional.ofNullable(mapper.lastScheduledFire(jobId));
    }

    @Override
    public Map<Long, Instant> lastScheduledFires(Collection<Long> jobIds) {
        Map<Long, Instant> last = new HashMap<>();
        for (List<Long> chunk : chunks(List.copyOf(new TreeSet<>(jobIds)), RUN_CHUNK)) {
            for (RunRow row : mapper.lastScheduledFires(chunk)) {
                if (row.scheduledAt != null) {
                    last.put(row.jobId, row.scheduledAt);
                }
            }
        }
        return last;
    }

    @Override
    public Map<Long, RunState> states(Collection<Long> runIds) {
        Map<Long, RunState> states = new HashMap<>();
        for (List<Long> chunk : chunks(List.copyOf(new TreeSet<>(runIds)), RUN_CHUNK)) {
            for (RunRow row : mapper.states(chunk)) {
                states.put(row.id, new RunState(RunStatus.valueOf(row.status), row.finishedAt));
            }
        }
        return states;
    }

    @Override
    public void updateRun(long runId, RunStatus status, int attempt, Instant startedAt, Instant finishedAt,
                          String message) {
        apply(List.of(new RunChange.RunUpdate(runId, status, attempt, startedAt, finishedAt, message)));
    }

    @Override
    public boolean completeShard(ShardRun result) {
        ShardRow row = resultRow(result);
        return retryingLockConflicts(() -> newTransaction.execute(status -> sql.completeShard(row)));
    }

    /** One JDBC batch in a transaction of its own, retried at once after a lock conflict. */
    @Override
    public List<Boolean> completeShards(List<ShardRun> results) {
        if (results.isEmpty()) {
            return List.of();
        }
        List<ShardRow> rows = results.stream().map(MybatisRunStore::resultRow).toList();
        return retryingLockConflicts(() -> newTransaction.execute(status -> sql.completeShards(rows)));
    }

    /** At most three JDBC batches in one transaction of its own, retried at once after a lock conflict. */
    @Override
    public void apply(List<RunChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<RunChange> updates = new ArrayList<>(changes.size());
        List<NewRun> children = new ArrayList<>();
        for (RunChange change : changes) {
            if (change instanceof RunChange.ChildRuns childRuns) {
                children.addAll(childRuns.children());
            } else {
                updates.add(change);
            }
        }
        retryingLockConflicts(() -> {
            newTransaction.executeWithoutResult(status -> {
                sql.apply(updates);
                insertChildren(children);
            });
            return null;
        });
    }

    /** Child runs, in the caller's transaction; those already recorded for their parent run are skipped. */
    private void insertChildren(List<NewRun> children) {
        if (children.isEmpty()) {
            return;
        }
        List<RunRow> fresh = withoutKnown(toRows(children));
        if (!fresh.isEmpty()) {
            insertFast(fresh);
        }
    }

    /**
     * Runs a write again when the database chose it as a deadlock's victim or its lock wait timed
     * out: the transaction was rolled back whole, and the writes are guarded, so a repeat is safe.
     */
    private static <T> T retryingLockConflicts(java.util.function.Supplier<T> write) {
        for (int tries = 1; ; tries++) {
            try {
                return write.get();
            } catch (PessimisticLockingFailureException e) {
                if (tries > LOCK_RETRIES) {
                    throw e;
                }
                log.debug("Lock conflict ({}); writing again, try {}", e.getMessage(), tries + 1);
            }
        }
    }

    static ShardRow resultRow(ShardRun result) {
        if (!result.status().isTerminal()) {
            throw new IllegalArgumentException("a shard result needs a final status, not " + result.status());
        }
        ShardRow row = ShardRow.of(result);
        if (row.devices.isEmpty()) {
            row.devices = null; // keep the devices it was placed on
        }
        return row;
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>((items.size() + size - 1) / size);
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }
}
