package io.tessera.admin.engine;

/** Tells database outages from other failures, whatever layer wrapped them. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    public static boolean isDatabaseFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String name = cause.getClass().getName();
            if (name.startsWith("org.springframework.dao.") || name.startsWith("org.springframework.jdbc.")
                    || name.startsWith("org.springframework.transaction.") || cause instanceof java.sql.SQLException) {
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
