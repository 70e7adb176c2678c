package io.tessera.executor.bench;

import io.tessera.core.model.BlockStrategy;
import io.tessera.core.wire.TriggerBatch;
import io.tessera.core.wire.TriggerBatchReply;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.HdrHistogram.Histogram;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Two measurements of the agent over loopback, against an in-process ZooKeeper, for a no-op Java
 * handler. Run nodes are made before the shards are sent, as the admin's leader does, so that a
 * claim is the one create (a batch: the one multi) it is in production.
 *
 * <ol>
 *   <li>Receipt → handler start for single triggers due at once ({@code triggers}, {@code concurrency}).</li>
 *   <li>Bursts on whole seconds: every second, {@code firesPerSecond} shards due at the next whole
 *       second, sent {@value #LEAD_MS} ms early in {@link TriggerBatch}es of at most 500, as the
 *       leader sends them; handler start − fire time (p50/p99/max), and shards/s through the
 *       persistent attempt node and the report.</li>
 * </ol>
 * Also the floor (one multi claiming 500 attempts from a plain client) and the agent's idle heap.
 *
 * <pre>java -cp ... io.tessera.executor.bench.TriggerLatencyBench [triggers] [concurrency] [shardsPerRun] [firesPerSecond] [seconds]</pre>
 */
public final class TriggerLatencyBench {

    private static final int LEAD_MS = 200;

    public static void main(String[] args) throws Exception {
        int triggers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int shardsPerRun = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int firesPerSecond = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        Path dir = Files.createTempDirectory("tessera-bench");
        try (TestingServer zk = new TestingServer(); CuratorFramework leader = Agents.observer(zk)) {
            long baseline = heapAfterGc();
            Histogram floor = claimFloor(leader, 50, 500);
            RecordingReporter reports = new RecordingReporter();
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            Histogram lateness = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            // A slot per shard held: a whole second's burst is held at once, before its fire time.
            int slots = Math.max(1_024, 2 * firesPerSecond);
            try (TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).slots(slots).build(), reports)) {
                agent.handlers().register("noop", ctx -> {
                    record(latency, System.nanoTime() - ctx.receivedNanos());
                    return HandlerResult.succeeded();
                });
                agent.handlers().register("fire", ctx -> {
                    record(lateness, Math.max(0, ChronoUnit.NANOS.between(ctx.scheduledAt(), Instant.now())));
                    return HandlerResult.succeeded();
                });
                SignedClient client = new SignedClient();
                Runs runs = new Runs(leader, shardsPerRun);

                singles(client, agent, runs, 500, concurrency);            // warm-up: JIT, connections
                awaitReports(reports, 500);
                latency.reset();
                reports.clear();
                long start = System.nanoTime();
                singles(client, agent, runs, triggers, concurrency);
                double accepted = (System.nanoTime() - start) / 1e9;
                awaitReports(reports, triggers);
                double through = (System.nanoTime() - start) / 1e9;

                bursts(client, agent, runs, firesPerSecond, 2);               // warm-up
                awaitReports(reports, triggers + 2 * firesPerSecond);
                lateness.reset();
                reports.clear();
                long burstStart = System.nanoTime();
                long burstCpu = processCpuNanos();
                Map<String, Long> threadCpu = cpuByThreadGroup();
                bursts(client, agent, runs, firesPerSecond, seconds);
                awaitReports(reports, seconds * firesPerSecond);
                double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
                int shards = seconds * firesPerSecond;
                double cpuPerShard = (processCpuNanos() - burstCpu) / 1e3 / shards;
                Map<String, Long> threadCpuAfter = cpuByThreadGroup();

                System.out.printf("%d CPUs, %d shard(s) per run, %d slots%n", Runtime.getRuntime().availableProcessors(),
                        shardsPerRun, slots);
                System.out.printf("single triggers: %d, concurrency %d%n", triggers, concurrency);
                System.out.printf("  receipt -> handler start: median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms (n=%d)%n",
                        ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
                        ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()), latency.getTotalCount());
                System.out.printf("  throughput: %.0f triggers/s accepted, %.0f shards/s through result node + report%n",
                        triggers / accepted, triggers / through);
                System.out.printf("bursts: %d shards due on each whole second for %d s, sent %d ms early in batches of <= 500%n",
                        firesPerSecond, seconds, LEAD_MS);
                System.out.printf("  handler start - fire time: median %.3f ms, p99 %.3f ms, max %.3f ms (n=%d)%n",
                        ms(lateness.getValueAtPercentile(50)), ms(lateness.getValueAtPercentile(99)),
                        ms(lateness.getMaxValue()), lateness.getTotalCount());
                System.out.printf("  %.0f shards/s through result node + report; %d result batch(es) for %d results%n",
                        seconds * firesPerSecond / burstSeconds, reports.batches(), reports.count());
                System.out.printf("  CPU of this whole JVM (agent, ZooKeeper server, HTTP client) per shard: %.0f µs"
                        + " (independent of what else loads the machine)%n", cpuPerShard);
                threadCpuAfter.forEach((group, nanos) -> System.out.printf("    %-40s %6.0f µs%n", group,
                        (nanos - threadCpu.getOrDefault(group, 0L)) / 1e3 / shards));
                System.out.printf("floor, one multi claiming 500 attempts from a plain client: median %.3f ms, p99 %.3f ms%n",
                        ms(floor.getValueAtPercentile(50)), ms(floor.getValueAtPercentile(99)));
                long idle = heapAfterGc();
                System.out.printf("idle heap after GC: %.1f MiB with agent + ZooKeeper, %.1f MiB ZooKeeper alone, agent ≈ %.1f MiB%n",
                        mib(idle), mib(baseline), mib(idle - baseline));
            }
        }
    }

    private static void record(Histogram histogram, long nanos) {
        synchronized (histogram) {
            histogram.recordValue(Math.min(nanos, histogram.getHighestTrackableValue()));
        }
    }

    /** Run ids, and their nodes made ahead as the leader makes them. */
    private static final class Runs {
        private final CuratorFramework leader;
        private final int shardsPerRun;
        private long next = 1_000_000;

        Runs(CuratorFramework leader, int shardsPerRun) {
            this.leader = leader;
            this.shardsPerRun = shardsPerRun;
        }

        /** {@code shards} triggers of fresh runs, their run nodes made. */
        List<TriggerRequest> triggers(int shards, String handler, Instant scheduledAt) throws Exception {
            List<TriggerRequest> triggers = new ArrayList<>(shards);
            List<Long> made = new ArrayList<>();
            for (int i = 0; i < shards; i++) {
                long runId = next + i / shardsPerRun;
                if (made.isEmpty() || made.get(made.size() - 1) != runId) {
                    made.add(runId);
                }
                triggers.add(new TriggerRequest(WireMessage.PROTOCOL_VERSION, runId, runId, "job-" + runId, handler, "",
                        i % shardsPerRun, shardsPerRun, 1, List.of(), 0, BlockStrategy.SERIAL, null, scheduledAt,
                        Instant.now(), null));
            }
            next += (shards + shardsPerRun - 1) / shardsPerRun;
            makeRunNodes(made);
            return triggers;
        }

        private void makeRunNodes(List<Long> runIds) throws Exception {
            for (long runId : runIds) {
                String bucket = ZkLayout.bucket(ZkLayout.bucketOf(runId));
                if (leader.checkExists().forPath(bucket) == null) {
                    leader.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(bucket);
                }
            }
            ZooKeeper zk = leader.getZookeeperClient().getZooKeeper();
            CreateOptions container = CreateOptions.newBuilder(ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER).build();
            for (int from = 0; from < runIds.size(); from += 500) {
                List<Op> ops = new ArrayList<>();
                for (long runId : runIds.subList(from, Math.min(runIds.size(), from + 500))) {
                    ops.add(Op.create(ZKPaths.fixForNamespace(leader.getNamespace(), ZkLayout.run(runId)), new byte[0], container));
                }
                zk.multi(ops);
            }
        }
    }

    private static void singles(SignedClient client, TesseraAgent agent, Runs runs, int count, int concurrency) throws Exception {
        List<TriggerRequest> triggers = runs.triggers(count, "noop", null);
        Semaphore inFlight = new Semaphore(Math.max(1, concurrency));
        List<CompletableFuture<TriggerReply>> replies = new ArrayList<>();
        for (TriggerRequest trigger : triggers) {
            inFlight.acquire();
            replies.add(client.triggerAsync(agent.address(), trigger).whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<TriggerReply> reply : replies) {
            check(reply.join());
        }
    }

    /** Every second, {@code perSecond} shards due at the next whole second, sent {@link #LEAD_MS} early. */
    private static void bursts(SignedClient client, TesseraAgent agent, Runs runs, int perSecond, int seconds) throws Exception {
        List<CompletableFuture<TriggerBatchReply>> replies = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            Instant fire = Instant.now().plusMillis(LEAD_MS + 300).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            List<TriggerRequest> triggers = runs.triggers(perSecond, "fire", fire);
            sleepUntil(fire.minusMillis(LEAD_MS));
            for (int from = 0; from < triggers.size(); from += TriggerBatch.MAX_TRIGGERS) {
                replies.add(client.triggerBatchAsync(agent.address(), new TriggerBatch(WireMessage.PROTOCOL_VERSION,
                        triggers.subList(from, Math.min(triggers.size(), from + TriggerBatch.MAX_TRIGGERS)))));
            }
        }
        for (CompletableFuture<TriggerBatchReply> reply : replies) {
            reply.join().replies().forEach(TriggerLatencyBench::check);
        }
    }

    /** One multi of {@code perBatch} ephemeral creates, {@code batches} times, from a plain client. */
    private static Histogram claimFloor(CuratorFramework client, int batches, int perBatch) throws Exception {
        Histogram floor = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        CreateOptions ephemeral = CreateOptions.newBuilder(ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL).build();
        for (int b = 0; b < batches + 10; b++) {
            long runId = 9_000_000 + b;
            client.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.run(runId));
            List<Op> ops = new ArrayList<>(perBatch);
            for (int shard = 0; shard < perBatch; shard++) {
                ops.add(Op.create(ZKPaths.fixForNamespace(client.getNamespace(), ZkLayout.attempt(runId, shard, 1)),
                        new byte[64], ephemeral));
            }
            long start = System.nanoTime();
            zk.multi(ops);
            if (b >= 10) {
                floor.recordValue(System.nanoTime() - start);
            }
        }
        return floor;
    }

    private static void check(TriggerReply reply) {
        if (reply.outcome() != TriggerOutcome.ACCEPTED) {
            throw new IllegalStateException("trigger refused: " + reply);
        }
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            Thread.sleep(millis); // a benchmark, not a test: wait for the send time as the leader's timer does
        }
    }

    private static void awaitReports(RecordingReporter reports, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (reports.count() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + reports.count() + " of " + count + " results arrived");
            }
            Thread.sleep(1); // a benchmark, not a test: poll without burning the CPU the agent needs
        }
    }

    /**
     * CPU time of the live threads by what they are. Threads that ended meanwhile are missed, and
     * the JVM's own (JIT, GC) are not Java threads: the process figure holds them.
     */
    private static Map<String, Long> cpuByThreadGroup() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                groups.merge(groupOf(info.getThreadName()), cpu, Long::sum);
            }
        }
        return groups;
    }

    private static String groupOf(String thread) {
        if (thread.startsWith("tessera-")) {
            return "agent: " + thread.replaceAll("-\\d+$", "");
        }
        if (thread.endsWith("-EventThread") || thread.contains("-SendThread")) {
            return "ZooKeeper clients (agent's and bench's)";
        }
        if (thread.startsWith("main") || thread.startsWith("test-http-client") || thread.startsWith("HttpClient")) {
            return "bench: admin side (triggers, HTTP client)";
        }
        return "ZooKeeper server and other";
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
