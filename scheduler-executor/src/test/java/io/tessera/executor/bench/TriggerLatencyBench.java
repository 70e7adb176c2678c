package io.tessera.executor.bench;

import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.HdrHistogram.Histogram;
import org.apache.curator.test.TestingServer;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Trigger receipt (the agent has the whole HTTP request) → handler start, over loopback, for a
 * no-op Java handler: each trigger is a fresh shard, so the path includes the ZooKeeper claim and
 * the done check. Also the agent's idle heap: heap after GC with the agent idle, minus heap after
 * GC with only the in-process ZooKeeper.
 *
 * <pre>java -cp ... io.tessera.executor.bench.TriggerLatencyBench [triggers] [concurrency] [shardsPerRun]</pre>
 *
 * With one shard per run (the default) every trigger is the first of its run, so the claim also
 * creates the run's and the shard's parent nodes: the worst case.
 */
public final class TriggerLatencyBench {

    private static int shardsPerRun = 1;

    private static io.tessera.core.wire.TriggerRequest trigger(long base, int i) {
        long runId = base + i / shardsPerRun;
        return Agents.trigger(runId, runId, i % shardsPerRun, shardsPerRun, "noop", "", List.of(), 0, null, null);
    }

    public static void main(String[] args) throws Exception {
        int triggers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        shardsPerRun = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path dir = Files.createTempDirectory("tessera-bench");
        try (TestingServer zk = new TestingServer()) {
            long baseline = heapAfterGc();
            Histogram floor = zooKeeperFloor(zk, 1000);
            RecordingReporter reports = new RecordingReporter();
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            try (TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).slots(1024).build(), reports)) {
                agent.handlers().register("noop", ctx -> {
                    long waited = System.nanoTime() - ctx.receivedNanos();
                    synchronized (latency) {
                        latency.recordValue(waited);
                    }
                    return HandlerResult.succeeded();
                });
                SignedClient client = new SignedClient();
                run(client, agent, 1_000_000, 500, concurrency);            // warm-up: JIT, connections
                awaitReports(reports, 500);
                latency.reset();
                reports.received().clear();

                long start = System.nanoTime();
                run(client, agent, 2_000_000, triggers, concurrency);
                double seconds = (System.nanoTime() - start) / 1e9;
                awaitReports(reports, triggers);
                double withResults = (System.nanoTime() - start) / 1e9;

                System.out.printf("triggers: %d, concurrency %d, %d shard(s) per run, %d CPUs%n", triggers, concurrency, shardsPerRun,
                        Runtime.getRuntime().availableProcessors());
                System.out.printf("receipt -> handler start: median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms (n=%d)%n",
                        ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
                        ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()), latency.getTotalCount());
                System.out.printf("throughput: %.0f triggers/s accepted, %.0f shards/s through done + report%n",
                        triggers / seconds, triggers / withResults);

                System.out.printf("floor, a bare claim (create with parents + exists) from a plain client: median %.3f ms, p99 %.3f ms%n",
                        ms(floor.getValueAtPercentile(50)), ms(floor.getValueAtPercentile(99)));
                long idle = heapAfterGc();
                System.out.printf("idle heap after GC: %.1f MiB with agent + ZooKeeper, %.1f MiB ZooKeeper alone, agent ≈ %.1f MiB%n",
                        mib(idle), mib(baseline), mib(idle - baseline));
            }
        }
    }

    /** What the ZooKeeper round trips of a claim cost here, without the agent. */
    private static Histogram zooKeeperFloor(TestingServer zk, int count) throws Exception {
        Histogram floor = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        try (org.apache.curator.framework.CuratorFramework client = Agents.observer(zk)) {
            for (int i = 0; i < count + 200; i++) {
                long start = System.nanoTime();
                client.create().creatingParentContainersIfNeeded().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL)
                        .forPath(io.tessera.core.zk.ZkLayout.claim(9_000_000 + i, 0));
                client.checkExists().forPath(io.tessera.core.zk.ZkLayout.done(9_000_000 + i, 0));
                if (i >= 200) {
                    floor.recordValue(System.nanoTime() - start);
                }
            }
        }
        return floor;
    }

    private static void run(SignedClient client, TesseraAgent agent, long runId, int triggers, int concurrency)
            throws Exception {
        if (concurrency <= 1) {
            for (int i = 0; i < triggers; i++) {
                TriggerReply reply = client.trigger(agent.address(), trigger(runId, i));
                check(reply);
            }
            return;
        }
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<TriggerReply>> replies = new ArrayList<>();
        for (int i = 0; i < triggers; i++) {
            inFlight.acquire();
            replies.add(client.triggerAsync(agent.address(), trigger(runId, i))
                    .whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<TriggerReply> reply : replies) {
            check(reply.join());
        }
    }

    private static void check(TriggerReply reply) {
        if (reply.outcome() != TriggerOutcome.ACCEPTED) {
            throw new IllegalStateException("trigger refused: " + reply);
        }
    }

    private static void awaitReports(RecordingReporter reports, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (reports.received().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + reports.received().size() + " of " + count + " results arrived");
            }
            Thread.sleep(1); // a benchmark, not a test: poll without burning the CPU the agent needs
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // a benchmark, not a test: let the collector settle
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
