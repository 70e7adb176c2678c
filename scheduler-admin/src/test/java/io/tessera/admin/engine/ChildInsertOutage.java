package io.tessera.admin.engine;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;

/**
 * An H2 trigger that makes the database refuse, while armed, every insert of a CHILD run as if the
 * connection had failed: the database fails at the moment a parent's children are recorded, and
 * at no other. Installed with {@link #install}, removed with {@link #remove}.
 */
public final class ChildInsertOutage implements Trigger {

    private static volatile boolean armed;
    private int triggerKindColumn = -1;

    static void install(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("CREATE TRIGGER IF NOT EXISTS child_insert_outage BEFORE INSERT ON job_run FOR EACH ROW CALL '"
                    + ChildInsertOutage.class.getName() + "'");
        }
    }

    static void remove(Connection connection) throws SQLException {
        armed = false;
        try (Statement sql = connection.createStatement()) {
            sql.execute("DROP TRIGGER IF EXISTS child_insert_outage");
        }
    }

    static void arm(boolean on) {
        armed = on;
    }

    @Override
    public void init(Connection connection, String schema, String trigger, String table, boolean before, int type)
            throws SQLException {
        try (ResultSet columns = connection.getMetaData().getColumns(null, schema, table, null)) {
            while (columns.next()) {
                if ("trigger_kind".equalsIgnoreCase(columns.getString("COLUMN_NAME"))) {
                    triggerKindColumn = columns.getInt("ORDINAL_POSITION") - 1;
                }
            }
        }
        if (triggerKindColumn < 0) {
            throw new SQLException("job_run has no trigger_kind column");
        }
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        if (armed && "CHILD".equals(newRow[triggerKindColumn])) {
            throw new SQLTransientConnectionException("the database is unavailable (test outage)", "08S01");
        }
    }
}
