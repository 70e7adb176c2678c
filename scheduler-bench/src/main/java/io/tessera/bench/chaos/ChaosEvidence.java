package io.tessera.bench.chaos;

import io.tessera.bench.chaos.ChaosAnalysis.DbRun;
import io.tessera.bench.chaos.ChaosRecord.ShardKey;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the verdict is judged on: the ledgers, the database's rows and the admins' leadership log lines. */
final class ChaosEvidence {

    private static final Pattern LEADER = Pattern.compile("Admin (\\S+) is (now|no longer) the leader");
    /** A leader that stepped down for want of contact acted on nothing after its last contact + the session timeout. */
    private static final Pattern NO_CONTACT = Pattern.compile(
            "no answer from ZooKeeper for (\\d+) ms, longer than the session timeout \\((\\d+) ms\\)");

    record Ledgers(List<ChaosRecord> records, int tornLines) {
    }

    private ChaosEvidence() {
    }

    static Ledgers ledgers(List<Path> files) throws IOException {
        List<ChaosRecord> records = new ArrayList<>();
        int torn = 0;
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    try {
                        records.add(ChaosRecord.parse(line));
                    } catch (IllegalArgumentException e) {
                        torn++;
                    }
                }
            }
        }
        return new Ledgers(records, torn);
    }

    static List<DbRun> runs(Connection c) throws SQLException {
        List<DbRun> runs = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, job_id, trigger_kind, scheduled_at, status FROM tessera.job_run")) {
            while (rs.next()) {
                // DATETIME(3) holds UTC wall-clock time (sql/common/V1__schema.sql)
                Instant at = rs.getObject(4, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                runs.add(new DbRun(rs.getLong(1), rs.getLong(2), rs.getString(3), at, rs.getString(5)));
            }
        }
        return runs;
    }

    static Map<ShardKey, String> shardStatus(Connection c) throws SQLException {
        Map<ShardKey, String> status = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT run_id, shard_index, status FROM tessera.shard_run")) {
            while (rs.next()) {
                status.put(new ShardKey(rs.getLong(1), rs.getInt(2)), rs.getString(3));
            }
        }
        return status;
    }

    /** Runs not yet ended, for the drain. */
    static long openRuns(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*) FROM tessera.job_run WHERE status NOT IN ('SUCCEEDED','FAILED','CANCELLED','TIMED_OUT')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Leadership terms from the admins' own log lines ("Admin X is now the leader" / "is no longer the
     * leader"); a term the log leaves open ends at the admin's kill -9 ({@code deaths}) or at {@code end}.
     */
    static List<ChaosAnalysis.Term> terms(List<Path> adminLogs, Map<String, List<Instant>> deaths, Instant end)
            throws IOException {
        record Event(Instant at, String admin, boolean leads) {
        }
        List<Event> events = new ArrayList<>();
        for (Path log : adminLogs) {
            if (!Files.exists(log)) {
                continue;
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher m = LEADER.matcher(line);
                if (m.find()) {
                    Instant at = timestamp(line);
                    if (at != null) {
                        events.add(new Event(termEdge(at, line), m.group(1), m.group(2).equals("now")));
                    }
                }
            }
        }
        deaths.forEach((admin, times) -> times.forEach(t -> events.add(new Event(t, admin, false))));
        events.sort(Comparator.comparing(Event::at));
        Map<String, Instant> open = new HashMap<>();
        List<ChaosAnalysis.Term> terms = new ArrayList<>();
        for (Event e : events) {
            Instant from = open.remove(e.admin());
            if (from != null) {
                terms.add(new ChaosAnalysis.Term(e.admin(), from, e.at()));
            }
            if (e.leads()) {
                open.put(e.admin(), e.at());
            }
        }
        open.forEach((admin, from) -> terms.add(new ChaosAnalysis.Term(admin, from, end)));
        terms.sort(Comparator.comparing(ChaosAnalysis.Term::from));
        return terms;
    }

    /**
     * When a leadership line takes effect. An admin that steps down because ZooKeeper has not answered for
     * longer than its session timeout did nothing from its last contact + that timeout on (its engine checks
     * the contact before every event), so its term ends there, not when the thawed process wrote the line.
     */
    static Instant termEdge(Instant at, String line) {
        Matcher m = NO_CONTACT.matcher(line);
        if (!m.find()) {
            return at;
        }
        long silent = Long.parseLong(m.group(1));
        long timeout = Long.parseLong(m.group(2));
        return at.minusMillis(silent).plusMillis(timeout);
    }

    /** The leading ISO timestamp of a Spring Boot console line, or null. */
    static Instant timestamp(String line) {
        int space = line.indexOf(' ');
        String first = space < 0 ? line : line.substring(0, space);
        try {
            return OffsetDateTime.parse(first).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(first);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
