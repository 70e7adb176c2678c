package io.tessera.bench;

import io.tessera.executor.TesseraAgent;
import io.tessera.executor.config.AgentConfig;
import io.tessera.executor.handler.HandlerResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A worker JVM as users write one: it embeds the agent and registers a no-op handler that appends
 * one ledger line per start. The time is read first thing in the handler.
 *
 * <pre>
 * java -cp scheduler-bench.jar io.tessera.bench.LedgerWorker --zookeeper HOST:PORT --ledger FILE
 *      [--secret S | env TESSERA_CLUSTER_SECRET] [--group bench] [--handler ledger] [--data-dir DIR]
 *      [--slots N] [--admin-url URL] [--session-timeout SECONDS] [--no-detect] [--ready-file FILE]
 *      [--parent-pid PID]
 * </pre>
 * With {@code --parent-pid} it exits when that process does, so a killed benchmark leaves no worker behind.
 */
public final class LedgerWorker {

    private static final Clock CLOCK = Clock.systemUTC();

    private LedgerWorker() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--no-detect")) {
                flags.add(args[i]);
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                System.err.println("LedgerWorker: unknown argument '" + args[i] + "'");
                System.exit(2);
            }
        }
        Path ledgerFile = Path.of(required(options, "--ledger"));
        String secret = options.getOrDefault("--secret", System.getenv("TESSERA_CLUSTER_SECRET"));
        AgentConfig config = AgentConfig.builder()
                .zookeeper(required(options, "--zookeeper"))
                .group(options.getOrDefault("--group", "bench"))
                .secret(secret)
                .advertisedHost("127.0.0.1")
                .bindHost("127.0.0.1")
                .port(0)
                .dataDir(Path.of(options.getOrDefault("--data-dir", ledgerFile.getParent() + "/agent-data")))
                .detectDevices(!flags.contains("--no-detect"))
                .slots(Integer.parseInt(options.getOrDefault("--slots", "8")))
                .adminUrl(options.get("--admin-url"))
                .sessionTimeout(Duration.ofSeconds(Long.parseLong(options.getOrDefault("--session-timeout", "30"))))
                .build();

        TesseraAgent agent = new TesseraAgent(config);
        String executorId = agent.executorId();
        LedgerWriter ledger = new LedgerWriter(ledgerFile, Duration.ofMillis(50));
        agent.handlers().register(options.getOrDefault("--handler", "ledger"), ctx -> {
            long startMicros = LedgerEntry.micros(CLOCK.instant());
            ledger.append(new LedgerEntry(ctx.runId(), ctx.shardIndex(), ctx.attempt(), ctx.fencingToken(),
                    startMicros, executorId, ctx.jobId(), LedgerEntry.micros(ctx.scheduledAt())));
            return HandlerResult.succeeded();
        });

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            flushQuietly(ledger);
            agent.close();
            try {
                ledger.close();
            } catch (IOException e) {
                System.err.println("ledger: " + e);
            }
            stopped.countDown();
        }, "ledger-worker-shutdown"));
        String parent = options.get("--parent-pid");
        if (parent != null) {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> exit("the benchmark (pid " + parent + ") is gone")),
                    () -> exit("the benchmark (pid " + parent + ") is gone"));
        }

        agent.start();
        String ready = options.get("--ready-file");
        if (ready != null) {
            Path tmp = Path.of(ready + ".tmp");
            Files.writeString(tmp, executorId + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, Path.of(ready), StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("LedgerWorker " + executorId + " started at " + Instant.now() + ", ledger " + ledgerFile);
        stopped.await();
    }

    private static void flushQuietly(LedgerWriter ledger) {
        try {
            ledger.flush();
        } catch (IOException e) {
            System.err.println("ledger: " + e);
        }
    }

    private static void exit(String why) {
        System.err.println("LedgerWorker: " + why + ", exiting");
        System.exit(3);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            System.err.println("LedgerWorker: " + name + " is required");
            System.exit(2);
        }
        return value;
    }
}
