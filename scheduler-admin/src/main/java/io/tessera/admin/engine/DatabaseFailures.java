package io.tessera.admin.engine;

import org.springframework.dao.DataIntegrityViolationException;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

/** Tells database outages from other failures, whatever layer wrapped them. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * Whether the database is unavailable or failing. A refusal of the data itself (too long for its
     * column, a broken constraint) is not an outage: {@link #isRefusedData} says so, and it counts as
     * bad input, never towards the engine's database health.
     */
    public static boolean isDatabaseFailure(Throwable error) {
        if (isRefusedData(error)) {
            return false;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String name = cause.getClass().getName();
            if (name.startsWith("org.springframework.dao.") || name.startsWith("org.springframework.jdbc.")
                    || name.startsWith("org.springframework.transaction.") || cause instanceof java.sql.SQLException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the database refused the data it was given (SQL state class 22, data exception, e.g.
     * "data too long"; 23, integrity constraint violation), however Spring or MyBatis wrapped it.
     */
    public static boolean isRefusedData(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataIntegrityViolationException || cause instanceof SQLDataException
                    || cause instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, as "Type: message". */
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
