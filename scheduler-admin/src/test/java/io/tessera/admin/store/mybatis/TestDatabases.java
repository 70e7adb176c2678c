package io.tessera.admin.store.mybatis;

import io.tessera.admin.config.DatabaseDefaults;
import io.tessera.admin.config.TestMariaDb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The databases the store tests run on: a private H2 in memory, and a private database on the local MariaDB. */
public final class TestDatabases {

    static final String MARIADB_SERVER = TestMariaDb.SERVER_URL;

    private TestDatabases() {
    }

    public static String uniqueName() {
        return "tessera_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** An in-memory H2 of its own (in-memory databases are shared by name across a JVM), in the admin's mode. */
    public static String h2Url(String name) {
        return "jdbc:h2:mem:" + name + ";" + DatabaseDefaults.H2_OPTIONS + ";DB_CLOSE_DELAY=-1";
    }

    /** Creates a database on the local MariaDB (root, no password) and returns its URL. */
    static String createMariaDb(String name) {
        execute("CREATE DATABASE " + name + "");
        return MARIADB_SERVER + name;
    }

    static void dropMariaDb(String name) {
        execute("DROP DATABASE IF EXISTS " + name);
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(MARIADB_SERVER, TestMariaDb.USER, TestMariaDb.PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(TestMariaDb.describe() + " is needed by these tests: "
                    + sql + " failed: " + e.getMessage(), e);
        }
    }
}
