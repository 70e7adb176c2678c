package io.tessera.admin.ui.e2e;

import io.tessera.admin.config.DatabaseDefaults;
import io.tessera.admin.config.TestAdmin;
import io.tessera.admin.config.TestMariaDb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long the Jobs and Runs views take to show their first page in a real browser with many runs
 * stored: the packaged admin, a database seeded by SQL, headless Chromium timing a full page load
 * (navigation to the first row of the grid on screen). A benchmark, not a test:
 *
 * <pre>java -cp … io.tessera.admin.ui.e2e.UiPageTimes [runs=100000] [repeats=5] [h2|mariadb]</pre>
 */
public final class UiPageTimes {

    private static final String PASSWORD = "page-times-password";
    private static final int JOBS = 50;

    private UiPageTimes() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String database = args.length > 2 ? args[2] : "h2";
        Path dataDir = TestAdmin.newDataDir();
        List<String> options = new ArrayList<>();
        String url;
        String user;
        String dbName = null;
        if (database.equals("mariadb")) {
            dbName = "tessera_pages_" + ProcessHandle.current().pid();
            try (Connection root = DriverManager.getConnection(TestMariaDb.SERVER_URL, TestMariaDb.USER, TestMariaDb.PASSWORD);
                 Statement sql = root.createStatement()) {
                sql.execute("CREATE DATABASE " + dbName + " CHARACTER SET utf8mb4");
            }
            url = TestMariaDb.SERVER_URL + dbName;
            user = "root";
            options.addAll(List.of("--spring.datasource.url=" + url, "--spring.datasource.username=root"));
        } else {
            url = DatabaseDefaults.h2FileUrl(dataDir);
            user = "sa";
        }
        try {
            // First start applies the schema; H2 in file mode is then seeded while no admin holds it.
            PackagedAdmin.start(dataDir, PASSWORD, options).close();
            long started = System.nanoTime();
            long newestRun = seed(url, user, runs);
            System.out.printf("seeded %d jobs and %d runs (one shard each) in %.1f s%n", JOBS, runs,
                    (System.nanoTime() - started) / 1e9);
            try (PackagedAdmin admin = PackagedAdmin.start(dataDir, PASSWORD, options);
                 Browser browser = new Browser(admin.baseUrl, Path.of("target", "ui-page-times"))) {
                browser.signIn("admin", PASSWORD);
                measure(browser, "jobs view", "/jobs", "#jobs-grid", "page-job-001", repeats);
                measure(browser, "runs view", "/runs", "#runs-grid", Long.toString(newestRun), repeats);
            }
        } finally {
            if (dbName != null) {
                try (Connection root = DriverManager.getConnection(TestMariaDb.SERVER_URL, TestMariaDb.USER, TestMariaDb.PASSWORD);
                     Statement sql = root.createStatement()) {
                    sql.execute("DROP DATABASE " + dbName);
                }
            }
        }
    }

    private static void measure(Browser browser, String what, String path, String grid, String firstRowText, int repeats) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < repeats + 1; i++) {
            long start = System.nanoTime();
            browser.open(path);
            browser.waitForCellText(grid, firstRowText, Duration.ofSeconds(60));
            long took = (System.nanoTime() - start) / 1_000_000;
            if (i > 0) {
                millis.add(took); // the first load warms the JVM and the browser cache
            }
        }
        report(what + ", full page load (browser fetches the page and starts Vaadin) to first row", millis);
        browser.screenshot(path.substring(1) + "-100k");

        millis.clear();
        for (int i = 0; i < repeats + 1; i++) {
            browser.open("/");
            browser.find("#dash-leader");
            long start = System.nanoTime();
            browser.clickNow("vaadin-side-nav-item[path='" + path.substring(1) + "']");
            browser.waitForCellText(grid, firstRowText, Duration.ofSeconds(60));
            long took = (System.nanoTime() - start) / 1_000_000;
            if (i > 0) {
                millis.add(took);
            }
        }
        report(what + ", click in the side navigation to first row", millis);
    }

    private static void report(String what, List<Long> millis) {
        millis.sort(Long::compare);
        System.out.printf("%s: median %d ms, min %d ms, max %d ms (%d times)%n",
                what, millis.get(millis.size() / 2), millis.get(0), millis.get(millis.size() - 1), millis.size());
    }

    /** Inserts the jobs and runs with SQL; returns the newest run's id (the first row of the runs view). */
    private static long seed(String url, String user, int runs) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, "")) {
            db.setAutoCommit(false);
            try (var insert = db.prepareStatement("""
                    INSERT INTO job (name, job_group, schedule_type, schedule_expr, schedule_zone, handler, params,
                        shard_count, accelerators, gang, routing, block_strategy, misfire, timeout_seconds, max_retries,
                        max_wait_seconds, child_job_ids, enabled, version, created_at, updated_at)
                    VALUES (?, 'default', 'NONE', '', 'UTC', 'echo', '', 1, NULL, FALSE, 'ROUND_ROBIN', 'SERIAL', 'SKIP',
                        0, 0, 0, '', FALSE, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""")) {
                for (int j = 1; j <= JOBS; j++) {
                    insert.setString(1, String.format("page-job-%03d", j));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            long firstJob;
            try (var rs = db.createStatement().executeQuery("SELECT MIN(id) FROM job")) {
                rs.next();
                firstJob = rs.getLong(1);
            }
            String[] statuses = {"SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"};
            try (var run = db.prepareStatement("""
                    INSERT INTO job_run (job_id, trigger_kind, scheduled_at, status, params, shard_total, attempt, created_at,
                        started_at, finished_at, message) VALUES (?, 'MANUAL', ?, ?, '', 1, 1, ?, ?, ?, '')""")) {
                long now = System.currentTimeMillis();
                for (int i = 0; i < runs; i++) {
                    java.sql.Timestamp at = new java.sql.Timestamp(now - (long) (runs - i) * 1_000);
                    run.setLong(1, firstJob + i % JOBS);
                    run.setTimestamp(2, at);
                    run.setString(3, statuses[i % statuses.length]);
                    run.setTimestamp(4, at);
                    run.setTimestamp(5, at);
                    run.setTimestamp(6, new java.sql.Timestamp(at.getTime() + 500));
                    run.addBatch();
                    if (i % 5_000 == 4_999) {
                        run.executeBatch();
                    }
                }
                run.executeBatch();
            }
            try (Statement sql = db.createStatement()) {
                sql.executeUpdate("""
                        INSERT INTO shard_run (run_id, shard_index, status, executor_id, attempt, devices, started_at, finished_at)
                        SELECT id, 0, status, 'page-agent', 1, '', started_at, finished_at FROM job_run""");
            }
            db.commit();
            try (var rs = db.createStatement().executeQuery("SELECT MAX(id) FROM job_run")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
