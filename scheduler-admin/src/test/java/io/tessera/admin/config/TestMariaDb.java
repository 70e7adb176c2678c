package io.tessera.admin.config;

/**
 * The MariaDB the tests use: 127.0.0.1, user root with an empty password, on port 3306 unless the
 * environment variable {@code TESSERA_TEST_DB_PORT} names another. {@code scripts/test.sh} checks
 * the same server before Maven starts and passes the variable on; forked JVMs and the processes the
 * tests start inherit it.
 */
public final class TestMariaDb {

    public static final String PORT_ENV = "TESSERA_TEST_DB_PORT";
    public static final int PORT = port(System.getenv(PORT_ENV));
    /** The server's URL, without a database: append one, or connect to create and drop them. */
    public static final String SERVER_URL = "jdbc:mariadb://127.0.0.1:" + PORT + "/";
    public static final String USER = "root";
    public static final String PASSWORD = "";

    private TestMariaDb() {
    }

    /** For messages: which server a test needed. */
    public static String describe() {
        return "MariaDB on 127.0.0.1:" + PORT + " (root, no password; set " + PORT_ENV + " for another port)";
    }

    static int port(String value) {
        if (value == null || value.isBlank()) {
            return 3306;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalStateException(PORT_ENV + " must be a TCP port (1-65535), was '" + value + "'");
    }
}
