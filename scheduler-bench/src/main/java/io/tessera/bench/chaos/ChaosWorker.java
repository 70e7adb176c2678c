package io.tessera.bench.chaos;

import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.handler.ShardContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A chaos worker JVM: the embedded agent with handler {@code chaos}, which appends a start, a fenced
 * write and a finish line to its own ledger (every line flushed to the OS at once, so a kill -9 loses
 * at most a torn line), sleeps a seeded 50–500 ms while checking for cancellation, and fails a seeded
 * fraction of first attempts so that retries happen.
 *
 * <pre>
 * java -cp scheduler-bench.jar io.tessera.bench.chaos.ChaosWorker --zookeeper CONNECT --ledger FILE [--host ADDRESS]
 *      --store DIR --executor-id ID --data-dir DIR --session-timeout SECONDS --fail-percent N --seed S
 *      --parent-pid PID   (env TESSERA_CLUSTER_SECRET)
 * </pre>
 * The ledger is appended to, never truncated: a restarted worker (same executor id) keeps its history.
 */
public final class ChaosWorker {

    private static final Clock CLOCK = Clock.systemUTC();

    private final String executorId;
    private final BufferedWriter ledger;
    private final FencedStore store;
    private final int failPercent;
    private final long seed;

    private ChaosWorker(String executorId, BufferedWriter ledger, FencedStore store, int failPercent, long seed) {
        this.executorId = executorId;
        this.ledger = ledger;
        this.store = store;
        this.failPercent = failPercent;
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        String parent = o.get("--parent-pid");
        if (parent != null) {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> exit("the chaos suite (pid " + parent + ") is gone")),
                    () -> exit("the chaos suite (pid " + parent + ") is gone"));
        }
        String executorId = o.get("--executor-id");
        Path ledgerFile = Path.of(o.get("--ledger"));
        boolean fresh = !Files.exists(ledgerFile);
        BufferedWriter ledger = Files.newBufferedWriter(ledgerFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (fresh) {
            ledger.write(ChaosRecord.HEADER);
            ledger.newLine();
        }
        // A line torn by an earlier kill -9 must not glue onto the first line of this life.
        ledger.newLine();
        ledger.flush();
        ChaosWorker worker = new ChaosWorker(executorId, ledger, new FencedStore(Path.of(o.get("--store"))),
                Integer.parseInt(o.getOrDefault("--fail-percent", "0")), Long.parseLong(o.getOrDefault("--seed", "1")));

        AgentConfig config = AgentConfig.builder()
                .zookeeper(o.get("--zookeeper"))
                .group(o.getOrDefault("--group", "chaos"))
                .secret(System.getenv("TESSERA_CLUSTER_SECRET"))
                .advertisedHost(o.getOrDefault("--host", "127.0.0.1"))
                .bindHost(o.getOrDefault("--host", "127.0.0.1"))
                .port(0)
                .executorId(executorId)
                .dataDir(Path.of(o.get("--data-dir")))
                .detectDevices(false)
                .slots(Integer.parseInt(o.getOrDefault("--slots", "8")))
                .sessionTimeout(Duration.ofSeconds(Long.parseLong(o.getOrDefault("--session-timeout", "6"))))
                .build();
        TesseraAgent agent = new TesseraAgent(config);
        agent.handlers().register("chaos", worker::handle);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            worker.closeLedger();
            stopped.countDown();
        }, "chaos-worker-shutdown"));
        agent.start();
        System.out.println("ChaosWorker " + executorId + " started, ledger " + ledgerFile);
        stopped.await();
    }

    private HandlerResult handle(ShardContext ctx) throws Exception {
        long token = ctx.fencingToken();
        store.observe(ctx.runId(), ctx.shardIndex(), token);
        ChaosRecord start = ChaosRecord.start(ctx.runId(), ctx.shardIndex(), ctx.attempt(), token, now(), executorId,
                ctx.jobId(), ChaosRecord.micros(ctx.scheduledAt()));
        append(start);
        long hash = mix(seed ^ ctx.runId() * 31 + ctx.shardIndex());
        long workMillis = 50 + Math.floorMod(hash, 450);
        long until = System.nanoTime() + workMillis * 1_000_000L;
        while (System.nanoTime() < until) {
            if (ctx.isCancelled()) {
                append(ChaosRecord.finish(start, now(), "CANCELLED"));
                return HandlerResult.failed("cancelled");
            }
            try {
                Thread.sleep(Math.min(20, Math.max(1, (until - System.nanoTime()) / 1_000_000L)));
            } catch (InterruptedException e) {
                // The agent stops a shard by interrupting it (a gang rank whose peer failed, a zombie's shard).
                append(ChaosRecord.finish(start, now(), "CANCELLED"));
                throw e;
            }
        }
        if (ctx.isCancelled()) {
            // A careful handler looks once more before it commits: a zombie woken from SIGSTOP ends here
            // when its agent has already given the shard up.
            append(ChaosRecord.finish(start, now(), "CANCELLED"));
            return HandlerResult.failed("cancelled");
        }
        if (ctx.attempt() == 1 && Math.floorMod(hash >>> 16, 100) < failPercent) {
            append(ChaosRecord.finish(start, now(), "FAILED"));
            return HandlerResult.failed("a seeded first-attempt failure");
        }
        long writeAt = now();
        boolean accepted = store.write(ctx.runId(), ctx.shardIndex(), token);
        append(ChaosRecord.write(start, writeAt, accepted));
        if (!accepted) {
            append(ChaosRecord.finish(start, now(), "FAILED"));
            return HandlerResult.failed("the fenced store refused token " + token + ": a newer holder exists");
        }
        append(ChaosRecord.finish(start, now(), "OK"));
        return HandlerResult.succeeded();
    }

    private synchronized void append(ChaosRecord record) throws IOException {
        ledger.write(record.format());
        ledger.newLine();
        ledger.flush();
    }

    private synchronized void closeLedger() {
        try {
            ledger.close();
        } catch (IOException e) {
            System.err.println("ChaosWorker: closing the ledger failed: " + e);
        }
    }

    private static long now() {
        return ChaosRecord.micros(CLOCK.instant());
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static void exit(String why) {
        System.err.println("ChaosWorker: " + why + ", exiting");
        Runtime.getRuntime().halt(3);
    }
}
