package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.RunChange;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The run store's statements on the engine's hot path, in plain JDBC: multi-row inserts of runs and
 * shards, the read-back of their ids by fire time, and JDBC batches of run and shard updates.
 * MyBatis builds a dynamic {@code <foreach>} statement parameter by parameter through reflection,
 * which cost the leader more CPU than the database did at a few hundred fires per second; here the
 * SQL is plain text built once per batch and the same statements serve H2 and MySQL/MariaDB. They
 * run inside the caller's transaction (Spring binds the connection for MyBatis and JDBC alike).
 */
final class RunBatchSql {

    private static final String RUN_COLUMNS = "job_id, trigger_kind, scheduled_at, idempotency_key, status, params, shard_total,"
            + " attempt, created_at, started_at, finished_at, message, parent_run_id";
    private static final String SHARD_COLUMNS = "run_id, shard_index, status, executor_id, attempt, devices";

    static final String UPDATE_RUN = "UPDATE job_run SET status = ?, attempt = ?, started_at = COALESCE(?, started_at),"
            + " finished_at = ?, message = ? WHERE id = ?"
            + " AND (status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')"
            + "      OR ? IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'))";
    static final String UPDATE_SHARD = "UPDATE shard_run SET status = ?, executor_id = ?, attempt = ?, devices = ?,"
            + " started_at = ?, finished_at = ?, exit_code = ?, message = ?"
            + " WHERE run_id = ? AND shard_index = ? AND attempt <= ?"
            + " AND (attempt < ? OR status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'))";
    static final String COMPLETE_SHARD = "UPDATE shard_run SET status = ?, executor_id = COALESCE(?, executor_id), attempt = ?,"
            + " devices = COALESCE(?, devices), started_at = COALESCE(?, started_at), finished_at = ?, exit_code = ?, message = ?"
            + " WHERE run_id = ? AND shard_index = ?"
            + " AND (attempt < ? OR (attempt = ? AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')))";

    /** Once per attempt: a preemption recorded again (its change written twice) leaves the first row as it is. */
    static final String INSERT_PREEMPTION = "INSERT INTO run_preemption (run_id, shard_index, attempt, by_run_id, by_job_name,"
            + " reason, preempted_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE run_id = run_id";
    static final String SELECT_PREEMPTIONS = "SELECT run_id, shard_index, attempt, by_run_id, by_job_name, reason, preempted_at"
            + " FROM run_preemption WHERE run_id IN (%s) ORDER BY run_id, preempted_at, shard_index";

    private final JdbcTemplate jdbc;

    RunBatchSql(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The stored runs scheduled at any of these instants: the fires of a batch share few instants
     * (every per-second job fires on the same second), so this is one short indexed query where a
     * lookup key by key would be a statement as long as the batch.
     */
    List<RunRow> scheduledAt(Collection<Instant> instants) {
        List<RunRow> stored = new ArrayList<>();
        List<Instant> all = instants.stream().distinct().sorted().toList();
        for (int from = 0; from < all.size(); from += MybatisRunStore.RUN_CHUNK) {
            List<Instant> chunk = all.subList(from, Math.min(all.size(), from + MybatisRunStore.RUN_CHUNK));
            String sql = "SELECT id, job_id, scheduled_at, trigger_kind, idempotency_key, parent_run_id FROM job_run WHERE scheduled_at IN ("
                    + placeholders(chunk.size()) + ")";
            stored.addAll(jdbc.query(sql, (rs, i) -> storedRun(rs), chunk.stream().map(RunBatchSql::utc).toArray()));
        }
        return stored;
    }

    /** Multi-row INSERTs of runs, at most {@link MybatisRunStore#RUN_CHUNK} rows each; ids are read back by fire time. */
    void insertRuns(List<RunRow> rows) {
        for (int from = 0; from < rows.size(); from += MybatisRunStore.RUN_CHUNK) {
            List<RunRow> chunk = rows.subList(from, Math.min(rows.size(), from + MybatisRunStore.RUN_CHUNK));
            List<Object> args = new ArrayList<>(chunk.size() * 13);
            for (RunRow row : chunk) {
                args.add(row.jobId);
                args.add(row.triggerKind);
                args.add(utc(row.scheduledAt));
                args.add(row.idempotencyKey);
                args.add(row.status);
                args.add(row.params);
                args.add(row.shardTotal);
                args.add(row.attempt);
                args.add(utc(row.createdAt));
                args.add(utc(row.startedAt));
                args.add(utc(row.finishedAt));
                args.add(row.message);
                args.add(row.parentRunId);
            }
            jdbc.update("INSERT INTO job_run (" + RUN_COLUMNS + ") VALUES " + groups(chunk.size(), 13), args.toArray());
        }
    }

    /** Multi-row INSERTs of shards, at most {@link MybatisRunStore#SHARD_CHUNK} rows each. */
    void insertShards(List<ShardRow> rows) {
        for (int from = 0; from < rows.size(); from += MybatisRunStore.SHARD_CHUNK) {
            List<ShardRow> chunk = rows.subList(from, Math.min(rows.size(), from + MybatisRunStore.SHARD_CHUNK));
            List<Object> args = new ArrayList<>(chunk.size() * 6);
            for (ShardRow row : chunk) {
                args.add(row.runId);
                args.add(row.shardIndex);
                args.add(row.status);
                args.add(row.executorId);
                args.add(row.attempt);
                args.add(row.devices);
            }
            jdbc.update("INSERT INTO shard_run (" + SHARD_COLUMNS + ") VALUES " + groups(chunk.size(), 6), args.toArray());
        }
    }

    /** One final result, as one statement: the database says whether it changed the row. */
    boolean completeShard(ShardRow row) {
        return jdbc.update(COMPLETE_SHARD, completeArgs(row)) == 1;
    }

    /**
     * Final results as one JDBC batch, rows in key order (so that two transactions touching the same
     * shards lock them in the same order and never deadlock). For each row, in input order, whether
     * it changed the row; a driver that cannot tell ({@link Statement#SUCCESS_NO_INFO}) counts as yes.
     */
    List<Boolean> completeShards(List<ShardRow> rows) {
        List<Integer> order = keyOrder(rows);
        List<Object[]> args = new ArrayList<>(rows.size());
        for (int index : order) {
            args.add(completeArgs(rows.get(index)));
        }
        int[] counts = jdbc.batchUpdate(COMPLETE_SHARD, args);
        Boolean[] changed = new Boolean[rows.size()];
        for (int i = 0; i < order.size(); i++) {
            changed[order.get(i)] = counts[i] == 1 || counts[i] == Statement.SUCCESS_NO_INFO;
        }
        return List.of(changed);
    }

    /**
     * The engine's changes in their order, each stretch of changes of one kind (run updates, shard
     * updates, shard results) as one JDBC batch. Within a stretch the rows go in key order (a stable
     * sort keeps each row's own order), so concurrent transactions mostly lock rows in the same order.
     */
    void apply(List<RunChange> changes) {
        int from = 0;
        while (from < changes.size()) {
            Class<?> kind = changes.get(from).getClass();
            int to = from;
            while (to < changes.size() && changes.get(to).getClass() == kind) {
                to++;
            }
            List<RunChange> stretch = changes.subList(from, to);
            if (kind == RunChange.RunUpdate.class) {
                List<RunChange.RunUpdate> runs = new ArrayList<>();
                stretch.forEach(change -> runs.add((RunChange.RunUpdate) change));
                runs.sort(Comparator.comparingLong(RunChange.RunUpdate::runId));
                jdbc.batchUpdate(UPDATE_RUN, runs.stream().map(RunBatchSql::runArgs).toList());
            } else if (kind == RunChange.ShardUpdate.class) {
                List<ShardRow> rows = stretch.stream().map(change -> ShardRow.of(((RunChange.ShardUpdate) change).shard())).toList();
                jdbc.batchUpdate(UPDATE_SHARD, keyOrder(rows).stream().map(i -> shardArgs(rows.get(i))).toList());
            } else if (kind == RunChange.Preempted.class) {
                jdbc.batchUpdate(INSERT_PREEMPTION, stretch.stream().map(change -> preemptionArgs((RunChange.Preempted) change)).toList());
            } else {
                List<ShardRow> rows = stretch.stream()
                        .map(change -> MybatisRunStore.resultRow(((RunChange.ShardResult) change).shard())).toList();
                jdbc.batchUpdate(COMPLETE_SHARD, keyOrder(rows).stream().map(i -> completeArgs(rows.get(i))).toList());
            }
            from = to;
        }
    }

    private static Object[] preemptionArgs(RunChange.Preempted preempted) {
        return new Object[]{preempted.runId(), preempted.shardIndex(), preempted.attempt(), preempted.byRunId(),
                Texts.clip(preempted.byJobName()), Texts.clip(preempted.reason()), utc(preempted.at())};
    }

    /** The preemptions of these runs, each run's oldest first. */
    java.util.Map<Long, List<RunChange.Preempted>> preemptionsOf(Collection<Long> runIds) {
        java.util.Map<Long, List<RunChange.Preempted>> found = new java.util.HashMap<>();
        List<Long> all = runIds.stream().distinct().toList();
        for (int from = 0; from < all.size(); from += MybatisRunStore.RUN_CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + MybatisRunStore.RUN_CHUNK));
            String sql = String.format(SELECT_PREEMPTIONS, String.join(",", java.util.Collections.nCopies(chunk.size(), "?")));
            jdbc.query(sql, rs -> {
                RunChange.Preempted row = new RunChange.Preempted(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6), rs.getObject(7, LocalDateTime.class).toInstant(ZoneOffset.UTC));
                found.computeIfAbsent(row.runId(), id -> new ArrayList<>()).add(row);
            }, chunk.toArray());
        }
        return found;
    }

    private static Object[] runArgs(RunChange.RunUpdate run) {
        return new Object[]{run.status().name(), run.attempt(), utc(run.startedAt()), utc(run.finishedAt()),
                Texts.clip(run.message()), run.runId(), run.status().name()};
    }

    private static Object[] shardArgs(ShardRow row) {
        return new Object[]{row.status, row.executorId, row.attempt, row.devices, utc(row.startedAt), utc(row.finishedAt),
                row.exitCode, row.message, row.runId, row.shardIndex, row.attempt, row.attempt};
    }

    private static Object[] completeArgs(ShardRow row) {
        return new Object[]{row.status, row.executorId, row.attempt, row.devices, utc(row.startedAt), utc(row.finishedAt),
                row.exitCode, row.message, row.runId, row.shardIndex, row.attempt, row.attempt};
    }

    /** Indices of the rows sorted by (run, shard), stable. */
    private static List<Integer> keyOrder(List<ShardRow> rows) {
        List<Integer> order = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingLong(i -> rows.get(i).runId).thenComparingInt(i -> rows.get(i).shardIndex));
        return order;
    }

    private static RunRow storedRun(ResultSet rs) throws SQLException {
        RunRow row = new RunRow();
        row.id = rs.getLong(1);
        row.jobId = rs.getLong(2);
        row.scheduledAt = rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        row.triggerKind = rs.getString(4);
        row.idempotencyKey = rs.getString(5);
        row.parentRunId = rs.getLong(6);
        return row;
    }

    /** UTC wall-clock time to the millisecond, as {@link UtcInstantTypeHandler} stores it. */
    static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(UtcInstantTypeHandler.stored(instant), ZoneOffset.UTC);
    }

    private static String placeholders(int count) {
        StringBuilder sql = new StringBuilder(count * 3);
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.toString();
    }

    private static String groups(int rows, int columns) {
        String group = "(" + placeholders(columns) + ")";
        StringBuilder sql = new StringBuilder(rows * (group.length() + 2));
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(group);
        }
        return sql.toString();
    }
}
