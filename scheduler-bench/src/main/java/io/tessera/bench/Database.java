package io.tessera.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The benchmark's side of MariaDB: it creates and drops the run's database, reads
 * {@code SHOW GLOBAL STATUS}, and counts recorded results. One connection, short timeouts.
 */
final class Database implements AutoCloseable {

    /** Counters read before and after the window. {@code Handler_commit} counts storage-engine commits. */
    static final List<String> STATUS = List.of("Com_commit", "Handler_commit", "Com_insert", "Com_update",
            "Com_delete", "Com_select", "Questions", "Innodb_data_fsyncs");

    private static final Pattern NAME = Pattern.compile("bench_[a-z0-9]{1,32}");
    private static final DateTimeFormatter UTC_WALL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final String serverUrl;
    private final String user;
    private final String password;
    private final Connection connection;

    /** @param serverUrl e.g. {@code jdbc:mariadb://127.0.0.1:3306/}, no database */
    Database(String serverUrl, String user, String password) throws SQLException {
        this.serverUrl = serverUrl.endsWith("/") ? serverUrl : serverUrl + "/";
        this.user = user;
        this.password = password;
        this.connection = DriverManager.getConnection(this.serverUrl + "?connectTimeout=5000&socketTimeout=30000",
                user, password);
    }

    /** The JDBC URL of one database on this server, for the admin. */
    String urlOf(String database) {
        return serverUrl + database;
    }

    void create(String database) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE DATABASE " + checked(database) + " CHARACTER SET utf8mb4");
        }
    }

    void drop(String database) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + checked(database));
        }
    }

    /** e.g. "MariaDB 10.11.14". */
    String version() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            String v = rs.getString(1);
            return (v.toLowerCase().contains("mariadb") ? "MariaDB " : "MySQL ") + v.replaceAll("-.*", "");
        }
    }

    List<String> benchDatabases() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW DATABASES LIKE 'bench\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    Map<String, Long> globalStatus() throws SQLException {
        Map<String, Long> values = new LinkedHashMap<>();
        String in = String.join("','", STATUS);
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('" + in + "')")) {
            while (rs.next()) {
                values.put(rs.getString(1), Long.parseLong(rs.getString(2)));
            }
        }
        return values;
    }

    /** Shard results recorded SUCCEEDED for runs scheduled in {@code [from, to)}. */
    /** SUCCEEDED shard runs of the runs scheduled at exactly {@code fire}: cheap (index on scheduled_at). */
    long succeededShardsAt(String database, Instant fire) throws SQLException {
        String sql = "SELECT COUNT(*) FROM " + checked(database) + ".shard_run s JOIN " + database
                + ".job_run r ON r.id = s.run_id WHERE r.scheduled_at = ? AND s.status = 'SUCCEEDED'";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, UTC_WALL.format(LocalDateTime.ofInstant(fire, ZoneOffset.UTC)));
            ps.setQueryTimeout(10);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long succeededShards(String database, Instant from, Instant to) throws SQLException {
        String sql = "SELECT COUNT(*) FROM " + checked(database) + ".shard_run s JOIN " + database
                + ".job_run r ON r.id = s.run_id WHERE r.scheduled_at >= ? AND r.scheduled_at < ? AND s.status = 'SUCCEEDED'";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            // DATETIME(3) holds UTC wall-clock time (sql/common/V1__schema.sql): compare as text, no zone games.
            ps.setString(1, UTC_WALL.format(LocalDateTime.ofInstant(from, ZoneOffset.UTC)));
            ps.setString(2, UTC_WALL.format(LocalDateTime.ofInstant(to, ZoneOffset.UTC)));
            ps.setQueryTimeout(10);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String checked(String database) {
        if (!NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a benchmark database name: " + database);
        }
        return database;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
