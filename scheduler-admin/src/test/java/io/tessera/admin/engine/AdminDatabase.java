package io.tessera.admin.engine;

import io.tessera.core.model.RunStatus;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * An admin's database as a test outside the admin sees it, over plain JDBC: writes a job as
 * {@code JobService} would (the leader learns of it from {@code ClusterSignals.jobsChanged()}),
 * reads a job's runs. Timestamps are UTC wall-clock, as the admin stores them.
 */
record AdminDatabase(String url, String user, String password) {

    /** One {@code job_run} row. */
    record Run(long id, String trigger, Instant at, RunStatus status, String message) {
    }

    /** A cron job in {@code group} with handler {@code handler}, enabled, one shard, no retries. */
    long insertCronJob(String name, String group, String handler, String cron, String misfire) throws SQLException {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO job (name, job_group, schedule_type, schedule_expr, schedule_zone, handler,
                                      params, shard_count, accelerators, gang, routing, block_strategy, misfire,
                                      timeout_seconds, max_retries, max_wait_seconds, child_job_ids, enabled, version,
                                      created_at, updated_at)
                     VALUES (?, ?, 'CRON', ?, 'UTC', ?, '', 1, NULL, FALSE, 'ROUND_ROBIN', 'SERIAL', ?, 0, 0, 0, '',
                             TRUE, 0, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, name);
            insert.setString(2, group);
            insert.setString(3, cron);
            insert.setString(4, handler);
            insert.setString(5, misfire);
            insert.setObject(6, now);
            insert.setObject(7, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** The job's runs, by fire time. */
    List<Run> runs(long jobId) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement("SELECT id, trigger_kind, scheduled_at, status,"
                     + " message FROM job_run WHERE job_id = ? ORDER BY scheduled_at, id")) {
            select.setLong(1, jobId);
            List<Run> runs = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Instant at = rows.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC)
                            .truncatedTo(ChronoUnit.MILLIS);
                    runs.add(new Run(rows.getLong(1), rows.getString(2), at, RunStatus.valueOf(rows.getString(4)),
                            rows.getString(5)));
                }
            }
            return runs;
        }
    }

    /** The statuses of a run's shards. */
    List<RunStatus> shardStatuses(long runId) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT status FROM shard_run WHERE run_id = ? ORDER BY shard_index")) {
            select.setLong(1, runId);
            List<RunStatus> statuses = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    statuses.add(RunStatus.valueOf(rows.getString(1)));
                }
            }
            return statuses;
        }
    }

    long count(long jobId, RunStatus status) throws SQLException {
        return runs(jobId).stream().filter(run -> run.status() == status).count();
    }

    /** How many of the job's fires after {@code after} SUCCEEDED. */
    long succeededAfter(long jobId, Instant after) throws SQLException {
        return runs(jobId).stream().filter(run -> run.status() == RunStatus.SUCCEEDED && run.at().isAfter(after))
                .count();
    }

    /** The job's latest fire time that SUCCEEDED. */
    Instant lastSucceeded(long jobId) throws SQLException {
        return runs(jobId).stream().filter(run -> run.status() == RunStatus.SUCCEEDED).map(Run::at)
                .max(Instant::compareTo).orElseThrow();
    }

    /** The job's runs up to {@code last}. */
    List<Run> runsUpTo(long jobId, Instant last) throws SQLException {
        return runs(jobId).stream().filter(run -> !run.at().isAfter(last)).toList();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
