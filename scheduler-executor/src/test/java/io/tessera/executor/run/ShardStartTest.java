package io.tessera.executor.run;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ErrorReply;
import io.tessera.core.wire.KillReply;
import io.tessera.core.wire.KillRequest;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.TriggerBatch;
import io.tessera.core.wire.TriggerBatchReply;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.wire.WirePaths;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.AttemptNodes;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SharedZooKeeper;
import io.tessera.executor.support.SignedClient;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shards sent ahead of their fire time wait without a thread and start on time; their logs appear only when written. */
class ShardStartTest {

    private static final String WORKER_THREADS = "tessera-shard-";
    private static final Duration FIRE_LEAD = Duration.ofSeconds(2);

    @RegisterExtension
    static final SharedZooKeeper zooKeeper = new SharedZooKeeper();
    private final SignedClient client = new SignedClient();
    private final RecordingReporter reports = new RecordingReporter();
    private final Map<Integer, Instant> startedAt = new ConcurrentHashMap<>();
    @TempDir
    Path dir;
    private TesseraAgent agent;

    @BeforeEach
    void startAgent() throws Exception {
        agent = TesseraAgent.start(Agents.config(zooKeeper.server(), dir).build(), reports);
        agent.handlers().register("noop", ctx -> {
            startedAt.put(ctx.shardIndex(), Instant.now());
            return HandlerResult.succeeded();
        });
        agent.handlers().register("forever", ctx -> {
            new CountDownLatch(1).await();
            return HandlerResult.succeeded();
        });
        agent.handlers().register("talk", ctx -> {
            ctx.log().info("hello from shard {}", ctx.shardIndex());
            return HandlerResult.succeeded();
        });
    }

    @AfterEach
    void closeAgent() {
        agent.close();
    }

    @Test
    void fiveHundredShardsDueAheadHoldNoThreadUntilTheirFireTimeThenAllStartOnTime() throws Exception {
        warmUpTheJvmWithAnotherAgent();
        await("the other agent's threads gone").atMost(Agents.PATIENCE).until(() -> Agents.threadsNamed(WORKER_THREADS) == 0);
        zooKeeper.observer().create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.run(1_001));
        // One second ahead of admission, plus what admitting 500 takes on a loaded machine.
        Instant fireAt = Instant.now().plus(FIRE_LEAD);
        List<TriggerRequest> triggers = IntStream.range(0, 500).mapToObj(shard -> Agents.dueAt(
                Agents.trigger(1_001, 5L, shard, 500, "noop", "", List.of(), 0, null, null), fireAt)).toList();

        TriggerBatchReply reply = client.triggerBatch(agent.address(), new TriggerBatch(WireMessage.PROTOCOL_VERSION, triggers));

        assertThat(reply.replies()).extracting(TriggerReply::outcome).containsOnly(TriggerOutcome.ACCEPTED);
        Duration beforeFire = Duration.between(Instant.now(), fireAt).minusMillis(300);
        assertThat(beforeFire).as("admitting the batch took more than %s", FIRE_LEAD.minusSeconds(1))
                .isGreaterThan(Duration.ofMillis(700));
        assertThat(agent.status().running()).hasSize(500).allSatisfy(shard -> assertThat(shard.startedAt()).isNull());
        await("no shard thread while the shards wait").pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .during(beforeFire).atMost(beforeFire.plusSeconds(5))
                .until(() -> Agents.threadsNamed(WORKER_THREADS) == 0 && startedAt.isEmpty());
        assertThat(Instant.now()).as("watched until just before the fire time").isBefore(fireAt);

        await().atMost(Agents.PATIENCE).until(() -> startedAt.size() == 500);
        assertThat(startedAt.values()).allSatisfy(started -> assertThat(started)
                .isAfterOrEqualTo(fireAt).isBefore(fireAt.plusSeconds(3)));
        assertThat(Agents.threadsNamed(WORKER_THREADS)).isLessThanOrEqualTo(agent.config().slots());
        await().atMost(Agents.PATIENCE).until(() -> reports.received().size() == 500);
        assertThat(reports.received()).allSatisfy(result -> assertThat(result.startedAt()).isAfterOrEqualTo(fireAt));
        assertThat(reports.batches()).as("results of a burst travel in batches").isLessThan(500);
        assertThat(transactionsOfResults(1_001)).as("completions of a burst share transactions").isLessThan(500);
    }

    /**
     * The first burst of a fresh JVM runs interpreted. A burst through a throwaway agent compiles the
     * path, and closing that agent stops its threads, so the measured agent starts with none.
     */
    private void warmUpTheJvmWithAnotherAgent() throws Exception {
        RecordingReporter warmUpReports = new RecordingReporter();
        try (TesseraAgent warmUp = TesseraAgent.start(Agents.config(zooKeeper.server(), dir.resolve("warm-up")).build(), warmUpReports)) {
            warmUp.handlers().register("noop", ctx -> HandlerResult.succeeded());
            List<TriggerRequest> triggers = IntStream.range(0, 500)
                    .mapToObj(shard -> Agents.trigger(1_000, 4L, shard, 500, "noop", "", List.of(), 0, null, null)).toList();
            assertThat(client.triggerBatch(warmUp.address(), new TriggerBatch(WireMessage.PROTOCOL_VERSION, triggers))
                    .replies()).extracting(TriggerReply::outcome).containsOnly(TriggerOutcome.ACCEPTED);
            await().atMost(Agents.PATIENCE).until(() -> warmUpReports.received().size() == 500);
        }
    }

    /** How many transactions wrote the run's result nodes: their distinct creation zxids. */
    private static long transactionsOfResults(long runId) throws Exception {
        List<String> attempts = zooKeeper.observer().getChildren().forPath(ZkLayout.run(runId));
        java.util.Set<Long> zxids = new java.util.HashSet<>();
        for (String attempt : attempts) {
            zxids.add(zooKeeper.observer().checkExists().forPath(ZkLayout.run(runId) + "/" + attempt).getCzxid());
        }
        return zxids.size();
    }

    @Test
    void aShardKilledBeforeItsFireTimeFinishesWithoutRunningItsHandler() throws Exception {
        TriggerRequest trigger = Agents.dueAt(Agents.trigger(1_002, 0, "noop", ""), Instant.now().plusSeconds(5));
        assertThat(client.trigger(agent.address(), trigger).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);

        KillReply kill = WireCodec.decode(client.post(agent.address(), WirePaths.KILL,
                WireCodec.encode(new KillRequest(WireMessage.PROTOCOL_VERSION, 1_002, 0, "operator"))).body(), KillReply.class);

        assertThat(kill.killed()).isTrue();
        await().atMost(Agents.PATIENCE).until(() -> reports.result(1_002, 0) != null);
        ShardResult result = reports.result(1_002, 0);
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.message()).isEqualTo("stopped before it started: KILLED");
        assertThat(AttemptNodes.resultOf(zooKeeper.observer(), 1_002, 0)).isEqualTo(result);
        assertThat(startedAt).isEmpty();
        assertThat(agent.status().running()).isEmpty();
    }

    @Test
    void aTimeoutCountsFromTheFireTimeNotFromTheTrigger() throws Exception {
        Instant fireAt = Instant.now().plusMillis(1_500).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        TriggerRequest trigger = Agents.dueAt(Agents.trigger(1_003, 1L, 0, 1, "forever", "", List.of(), 1, null, null), fireAt);
        assertThat(client.trigger(agent.address(), trigger).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);

        await().atMost(Agents.PATIENCE).until(() -> reports.result(1_003, 0) != null);
        ShardResult result = reports.result(1_003, 0);
        assertThat(result.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(result.startedAt()).isAfterOrEqualTo(fireAt);
        assertThat(result.finishedAt()).isAfterOrEqualTo(fireAt.plusSeconds(1));
    }

    @Test
    void aSilentHandlerLeavesNoLogFileAndATalkingOneHasTheAgentsHeaderFirst() throws Exception {
        TriggerReply silent = client.trigger(agent.address(), Agents.trigger(1_004, 0, "noop", ""));
        TriggerReply talking = client.trigger(agent.address(), Agents.trigger(1_005, 0, "talk", ""));
        await().atMost(Agents.PATIENCE).until(() -> reports.result(1_004, 0) != null && reports.result(1_005, 0) != null);
        assertThat(silent.outcome()).isEqualTo(TriggerOutcome.ACCEPTED);

        assertThat(agent.config().logDir().resolve("1004-0-1.log")).doesNotExist();
        HttpResponse<byte[]> noLog = client.get(agent.address(), WirePaths.LOG, "runId=1004&shard=0");
        assertThat(noLog.statusCode()).isEqualTo(404);
        assertThat(WireCodec.decode(noLog.body(), ErrorReply.class).error()).isEqualTo("no_log");

        List<String> lines = Files.readAllLines(agent.config().logDir().resolve("1005-0-1.log"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).endsWith("] shard 0/1 of run 1005 (job job-1), attempt 1, on " + agent.executorId()
                + " with devices [], fencing token " + talking.fencingToken());
        assertThat(lines.get(1)).endsWith("] hello from shard 0");
        assertThat(lines.get(2)).endsWith("] shard finished: SUCCEEDED ");
    }

    @Test
    void closeStopsEveryThreadTheAgentStartedAndCanBeCalledAgain() throws Exception {
        TriggerRequest waiting = Agents.dueAt(Agents.trigger(1_006, 0, "noop", ""), Instant.now().plusSeconds(5));
        assertThat(client.trigger(agent.address(), waiting).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);
        assertThat(client.trigger(agent.address(), Agents.trigger(1_007, 2L, 0, 1, "forever", "", List.of(), 0, null, null)).outcome())
                .isEqualTo(TriggerOutcome.ACCEPTED);
        await().atMost(Agents.PATIENCE).until(() -> Agents.threadsNamed(WORKER_THREADS) >= 1);

        agent.close();
        agent.close();

        await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(Agents.liveThreadNames())
                .noneMatch(name -> name.startsWith("tessera-")));
        assertThat(startedAt).as("the waiting shard never ran").isEmpty();
        await().atMost(Agents.PATIENCE).until(() -> AttemptNodes.claim(zooKeeper.observer(), 1_006, 0) == null
                && AttemptNodes.claim(zooKeeper.observer(), 1_007, 0) == null);
        assertThat(AttemptNodes.result(zooKeeper.observer(), 1_006, 0)).as("a closing agent gives claims back without results").isNull();
    }
}
