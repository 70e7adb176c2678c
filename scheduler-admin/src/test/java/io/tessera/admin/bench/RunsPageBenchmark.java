package io.tessera.admin.bench;

import io.tessera.admin.config.DatabaseDefaults;
import io.tessera.admin.config.TestMariaDb;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.admin.ui.runs.RunFilter;
import io.tessera.admin.ui.runs.RunPages;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import org.mybatis.spring.boot.autoconfigure.MybatisAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * How fast the first page of the runs grid and of the jobs grid loads with many runs stored: fills
 * a fresh database with {@code runs} runs (one shard each) over {@code jobs} jobs, half of the runs
 * on one busy job, spread over 30 days, then times the data calls each grid makes for its first
 * page (the runs grid: its capped count, then a page of 50 with its job names; the jobs grid:
 * count, then a page of 50), under several filters. Prints the first (cold) call and the median of
 * warm calls, and for comparison an exact count of the same filter.
 *
 * <pre>
 * RunsPageBenchmark [h2|mariadb] [runs=100000] [jobs=200]
 * </pre>
 * {@code mariadb} uses a database of its own on 127.0.0.1:3306 (or TESSERA_TEST_DB_PORT; root, no password), dropped at the
 * end. Not a test: run it by hand (README, "Measuring").
 */
public final class RunsPageBenchmark {

    private static final int PAGE = 50;
    private static final int INSERT_BATCH = 1_000;
    private static final int WARM_CALLS = 9;
    private static final String MARIADB_SERVER = TestMariaDb.SERVER_URL;

    private record Scenario(String name, RunFilter filter, int offset) {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "h2";
        int runCount = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int jobCount = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        String mariaDbName = "tessera_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, Object> properties = new HashMap<>();
        properties.put("logging.level.root", "WARN");
        switch (database) {
            case "h2" -> {
                Path dir = Files.createTempDirectory("tessera-runs-bench-");
                properties.put("spring.datasource.url", DatabaseDefaults.h2FileUrl(dir));
                properties.put("spring.datasource.username", "sa");
                System.out.printf("RunsPageBenchmark on H2 (file, %s): %d runs over %d jobs%n", dir, runCount, jobCount);
            }
            case "mariadb" -> {
                execute("CREATE DATABASE " + mariaDbName);
                properties.put("spring.datasource.url", MARIADB_SERVER + mariaDbName);
                properties.put("spring.datasource.username", "root");
                properties.put("spring.datasource.password", "");
                System.out.printf("RunsPageBenchmark on MariaDB (%s): %d runs over %d jobs%n", mariaDbName, runCount, jobCount);
            }
            default -> throw new IllegalArgumentException("database must be h2 or mariadb, was " + database);
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Persistence.class)
                .web(WebApplicationType.NONE).properties(properties).run()) {
            JobStore jobs = context.getBean(JobStore.class);
            RunStore runs = context.getBean(RunStore.class);
            List<Long> jobIds = fill(jobs, runs, jobCount, runCount);
            measure(jobs, runs, jobIds);
        } finally {
            if (database.equals("mariadb")) {
                execute("DROP DATABASE IF EXISTS " + mariaDbName);
            }
        }
    }

    private static List<Long> fill(JobStore jobs, RunStore runs, int jobCount, int runCount) {
        long started = System.nanoTime();
        List<Long> jobIds = new ArrayList<>();
        for (int i = 0; i < jobCount; i++) {
            jobIds.add(jobs.insert(JobDefinition.builder("bench-" + i).group("bench").handler("noop")
                    .schedule(Schedule.cron("0 * * * * ?", ZoneOffset.UTC)).build()).id());
        }
        Random random = new Random(42);
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long spanMillis = Duration.ofDays(30).toMillis();
        List<RunStore.NewRun> batch = new ArrayList<>(INSERT_BATCH);
        for (int i = 0; i < runCount; i++) {
            long jobId = i % 2 == 0 ? jobIds.get(0) : jobIds.get(1 + random.nextInt(jobIds.size() - 1));
            // Distinct fire times per run (the fire key is unique), spread evenly over the span.
            Instant at = end.minusMillis(spanMillis).plusMillis(spanMillis * i / runCount);
            RunStatus status = status(random);
            Instant finished = status.isTerminal() ? at.plusSeconds(1 + random.nextInt(600)) : null;
            batch.add(new RunStore.NewRun(new JobRun(null, jobId, TriggerKind.CRON, at, status, "", 1, 1, at,
                    at.plusMillis(5), finished, status == RunStatus.FAILED ? "exit code 1" : ""), null));
            if (batch.size() == INSERT_BATCH || i == runCount - 1) {
                runs.insertAll(batch);
                batch.clear();
            }
        }
        System.out.printf("filled %d jobs and %d runs in %.1f s%n", jobCount, runCount,
                (System.nanoTime() - started) / 1e9);
        return jobIds;
    }

    private static RunStatus status(Random random) {
        int dice = random.nextInt(1000);
        if (dice < 900) {
            return RunStatus.SUCCEEDED;
        }
        if (dice < 970) {
            return RunStatus.FAILED;
        }
        if (dice < 990) {
            return RunStatus.CANCELLED;
        }
        return dice < 998 ? RunStatus.TIMED_OUT : RunStatus.RUNNING;
    }

    private static void measure(JobStore jobs, RunStore runs, List<Long> jobIds) {
        // H2 reuses the result of a query repeated over unchanged tables; a live admin keeps writing
        // runs, so each timed call follows a write, as it would there.
        Instant past = Instant.parse("2000-01-01T00:00:00Z");
        long[] writes = {0};
        Runnable write = () -> {
            runs.insertAll(List.of(new RunStore.NewRun(new JobRun(null, jobIds.get(jobIds.size() - 1), TriggerKind.API,
                    past.plusMillis(writes[0]++), RunStatus.SUCCEEDED, "", 0, 1, past, null, past, ""), null)));
            jobs.setEnabled(jobIds.get(jobIds.size() - 1), writes[0] % 2 == 0);
        };
        Instant now = Instant.now();
        Instant dayAgo = now.minus(Duration.ofDays(1));
        List<Scenario> scenarios = List.of(
                new Scenario("all runs", RunFilter.ANY, 0),
                new Scenario("status FAILED", new RunFilter(null, RunStatus.FAILED, null, null), 0),
                new Scenario("status RUNNING (rare)", new RunFilter(null, RunStatus.RUNNING, null, null), 0),
                new Scenario("busy job (half the runs)", new RunFilter(jobIds.get(0), null, null, null), 0),
                new Scenario("quiet job", new RunFilter(jobIds.get(1), null, null, null), 0),
                new Scenario("busy job, FAILED", new RunFilter(jobIds.get(0), RunStatus.FAILED, null, null), 0),
                new Scenario("last 24 h", new RunFilter(null, null, dayAgo, now), 0),
                new Scenario("last 24 h, FAILED", new RunFilter(null, RunStatus.FAILED, dayAgo, now), 0),
                new Scenario("all runs, last page", RunFilter.ANY, -1));
        System.out.printf("%-28s %10s %12s %12s %12s %12s %16s%n", "runs grid, first page", "grid rows",
                "count cold", "count warm", "page cold", "page warm", "exact count warm");
        for (Scenario scenario : scenarios) {
            RunPages pages = new RunPages(runs, jobs);
            Timed<Integer> count = time(write, () -> pages.count(scenario.filter()));
            int offset = scenario.offset() < 0 ? Math.max(0, count.value() - PAGE) : scenario.offset();
            Timed<List<RunPages.Line>> page = time(write, () -> new RunPages(runs, jobs).page(scenario.filter(), offset, PAGE));
            RunFilter f = scenario.filter();
            Timed<Long> exact = time(write, () -> runs.count(f.jobId(), f.status(), f.from(), f.to()));
            System.out.printf("%-28s %10d %12s %12s %12s %12s %16s%n", scenario.name(), count.value(), ms(count.cold()),
                    ms(count.warm()), ms(page.cold()), ms(page.warm()), ms(exact.warm()) + " (" + exact.value() + ")");
        }
        Timed<Long> jobCount = time(write, () -> jobs.count(null));
        Timed<Integer> jobPage = time(write, () -> jobs.list(null, 0, PAGE).size());
        System.out.printf("%-28s %10d %12s %12s %12s %12s%n", "jobs grid, first page", jobCount.value(),
                ms(jobCount.cold()), ms(jobCount.warm()), ms(jobPage.cold()), ms(jobPage.warm()));
    }

    private record Timed<T>(T value, long cold, long warm) {
    }

    /** The first call's time and the median of the next {@value #WARM_CALLS}, in nanoseconds; {@code write} before each. */
    private static <T> Timed<T> time(Runnable write, Supplier<T> call) {
        write.run();
        long started = System.nanoTime();
        T value = call.get();
        long cold = System.nanoTime() - started;
        long[] warm = new long[WARM_CALLS];
        for (int i = 0; i < WARM_CALLS; i++) {
            write.run();
            started = System.nanoTime();
            call.get();
            warm[i] = System.nanoTime() - started;
        }
        Arrays.sort(warm);
        return new Timed<>(value, cold, warm[WARM_CALLS / 2]);
    }

    private static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(MARIADB_SERVER, "root", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Just the persistence layer: DataSource, Flyway, MyBatis and the stores. */
    @SpringBootConfiguration
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class,
            MybatisAutoConfiguration.class})
    @ComponentScan(basePackages = "io.tessera.admin.store.mybatis",
            excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootConfiguration.class))
    static class Persistence {
    }
}
