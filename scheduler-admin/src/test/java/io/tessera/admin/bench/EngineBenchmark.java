package io.tessera.admin.bench;

import io.tessera.admin.TesseraAdminApplication;
import io.tessera.admin.config.DatabaseDefaults;
import io.tessera.admin.config.EmbeddedZooKeeper;
import io.tessera.admin.engine.JobService;
import io.tessera.admin.engine.SchedulingEngine;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.schedule.Schedule;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;
import org.HdrHistogram.Histogram;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole path under load: one admin (embedded ZooKeeper, H2 file), real agents over loopback,
 * {@code jobs} cron jobs firing every second with {@code shards} shards each. Prints fires and shard
 * runs per second, handler-start lateness against the fire time, missed fires and duplicate starts.
 *
 * <pre>
 * EngineBenchmark [jobs=1000] [shards=1] [seconds=20] [agents=4]
 * </pre>
 * Not a test: run it by hand (README, "Measuring").
 */
public final class EngineBenchmark {

    private static final String SECRET = "benchmark-cluster-secret-0123456789";

    private record Start(long runId, int shard, Instant at, long receivedMicrosBeforeStart) {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int shards = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int agentCount = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path dataDir = Files.createTempDirectory("tessera-bench-");
        System.out.printf("EngineBenchmark: %d jobs x %d shard(s) every second for %d s on %d agent(s); data in %s%n",
                jobs, shards, seconds, agentCount, dataDir);

        ConfigurableApplicationContext admin = new SpringApplicationBuilder(TesseraAdminApplication.class)
                .properties(Map.of(
                        "server.port", "0",
                        "tessera.data-dir", dataDir.toString(),
                        "tessera.zookeeper.embedded-port", "0",
                        "tessera.cluster-secret", SECRET,
                        "tessera.advertised-host", "127.0.0.1",
                        "spring.datasource.url", DatabaseDefaults.h2FileUrl(dataDir),
                        "logging.level.root", "WARN",
                        "logging.level.io.tessera", "WARN"))
                .run();
        List<TesseraAgent> agents = new ArrayList<>();
        try {
            SchedulingEngine engine = admin.getBean(SchedulingEngine.class);
            waitFor(engine::isLeading, Duration.ofSeconds(30), "leadership");
            String zookeeper = admin.getBean(EmbeddedZooKeeper.class).connectString();
            ConcurrentLinkedQueue<Start> starts = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < agentCount; i++) {
                TesseraAgent agent = new TesseraAgent(AgentConfig.builder()
                        .zookeeper(zookeeper).secret(SECRET).group("bench")
                        .advertisedHost("127.0.0.1").bindHost("127.0.0.1").port(0)
                        .dataDir(Files.createTempDirectory(dataDir, "agent-"))
                        .detectDevices(false).slots(100_000).build());
                agent.handlers().register("noop", context -> {
                    starts.add(new Start(context.runId(), context.shardIndex(), Instant.now(),
                            (System.nanoTime() - context.receivedNanos()) / 1000));
                    return HandlerResult.succeeded();
                });
                agent.start();
                agents.add(agent);
            }
            JobService jobService = admin.getBean(JobService.class);
            List<Long> jobIds = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                jobIds.add(jobService.create(JobDefinition.builder("bench-" + i).group("bench").handler("noop")
                        .shardCount(shards).routing(RoutingStrategy.ROUND_ROBIN)
                        .schedule(Schedule.cron("* * * * * ?", ZoneOffset.UTC)).build(), "benchmark").id());
            }
            Instant warm = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant end = warm.plusSeconds(seconds);
            System.out.printf("warming up until %s, measuring until %s%n", warm, end);
            waitFor(() -> Instant.now().isAfter(end.plusSeconds(3)), Duration.ofSeconds(seconds + 20L), "the window");
            for (Long id : jobIds) {
                jobService.setEnabled(id, false, "benchmark");
            }
            JdbcTemplate jdbc = admin.getBean(JdbcTemplate.class);
            waitFor(() -> jdbc.queryForObject("SELECT COUNT(*) FROM job_run WHERE status IN ('PENDING','WAITING','RUNNING')"
                    + " AND scheduled_at < ?", Long.class, java.sql.Timestamp.from(end)) == 0, Duration.ofSeconds(60), "runs to finish");

            Map<Long, Instant> scheduledAt = new HashMap<>();
            jdbc.query("SELECT id, scheduled_at FROM job_run", row -> {
                scheduledAt.put(row.getLong(1), row.getTimestamp(2).toInstant());
            });
            Histogram lateness = new Histogram(60_000_000L, 3);
            Histogram arrival = new Histogram(60_000_000L, 3);
            Map<String, Integer> startsPerShard = new ConcurrentHashMap<>();
            AtomicLong inWindow = new AtomicLong();
            for (Start start : starts) {
                Instant due = scheduledAt.get(start.runId());
                if (due == null || due.isBefore(warm) || !due.isBefore(end)) {
                    continue;
                }
                inWindow.incrementAndGet();
                startsPerShard.merge(start.runId() + "/" + start.shard(), 1, Integer::sum);
                long lateMicros = Duration.between(due, start.at()).toNanos() / 1000;
                lateness.recordValue(Math.max(0, lateMicros));
                // How long after the fire time the trigger reached the agent (0 when it came early).
                arrival.recordValue(Math.max(0, lateMicros - start.receivedMicrosBeforeStart()));
            }
            long expectedShards = (long) jobs * shards * seconds;
            long duplicates = startsPerShard.values().stream().filter(count -> count > 1).count();
            Long recordedFires = jdbc.queryForObject("SELECT COUNT(*) FROM job_run WHERE scheduled_at >= ? AND scheduled_at < ?",
                    Long.class, java.sql.Timestamp.from(warm), java.sql.Timestamp.from(end));
            Long succeeded = jdbc.queryForObject("SELECT COUNT(*) FROM shard_run s JOIN job_run r ON r.id = s.run_id"
                            + " WHERE r.scheduled_at >= ? AND r.scheduled_at < ? AND s.status = 'SUCCEEDED'",
                    Long.class, java.sql.Timestamp.from(warm), java.sql.Timestamp.from(end));
            System.out.printf("fires recorded: %d of %d expected (%.0f fires/s)%n", recordedFires, (long) jobs * seconds,
                    recordedFires / (double) seconds);
            System.out.printf("shard runs started: %d of %d expected (%.0f shard runs/s); recorded SUCCEEDED: %d%n",
                    startsPerShard.size(), expectedShards, startsPerShard.size() / (double) seconds, succeeded);
            System.out.printf("duplicate starts: %d; missed: %d%n", duplicates, expectedShards - startsPerShard.size());
            System.out.printf("handler start after fire time: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                    lateness.getValueAtPercentile(50) / 1000.0, lateness.getValueAtPercentile(99) / 1000.0,
                    lateness.getValueAtPercentile(99.9) / 1000.0, lateness.getMaxValue() / 1000.0);
            System.out.printf("trigger arrival after fire time (0 = early, as intended): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    arrival.getValueAtPercentile(50) / 1000.0, arrival.getValueAtPercentile(99) / 1000.0,
                    arrival.getMaxValue() / 1000.0);
        } finally {
            agents.forEach(TesseraAgent::close);
            admin.close();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
