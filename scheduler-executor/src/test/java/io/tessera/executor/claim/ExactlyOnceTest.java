package io.tessera.executor.claim;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.TriggerBatch;
import io.tessera.core.wire.TriggerBatchReply;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
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

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ExactlyOnceTest {

    private static final int SHARDS = 200;

    @RegisterExtension
    static final SharedZooKeeper zooKeeper = new SharedZooKeeper();
    private final SignedClient client = new SignedClient();
    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    private final AtomicLong runIds = new AtomicLong(System.nanoTime() % 1_000_000);
    private final RecordingReporter reports = new RecordingReporter();
    private TesseraAgent a;
    private TesseraAgent b;

    @BeforeEach
    void startAgents(@TempDir Path dir) throws Exception {
        a = TesseraAgent.start(Agents.config(zooKeeper.server(), dir.resolve("a")).slots(SHARDS + 10).build(), reports);
        b = TesseraAgent.start(Agents.config(zooKeeper.server(), dir.resolve("b")).slots(SHARDS + 10).build(), reports);
        for (TesseraAgent agent : List.of(a, b)) {
            agent.handlers().register("count", ctx -> {
                invocations.computeIfAbsent(ctx.runId() + "/" + ctx.shardIndex(), k -> new AtomicInteger()).incrementAndGet();
                return HandlerResult.succeeded(agent.executorId());
            });
        }
    }

    @AfterEach
    void closeAgents() {
        a.close();
        b.close();
    }

    @Test
    void twoAgentsTriggeredTogetherRunEachShardExactlyOnce() {
        long runId = runIds.incrementAndGet();
        List<CompletableFuture<TriggerReply>> fromA = new ArrayList<>();
        List<CompletableFuture<TriggerReply>> fromB = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            var trigger = Agents.trigger(runId, 7L, shard, SHARDS, "count", "", List.of(), 0, null, null);
            fromA.add(client.triggerAsync(a.address(), trigger));
            fromB.add(client.triggerAsync(b.address(), trigger));
        }
        CompletableFuture.allOf(fromA.toArray(CompletableFuture[]::new)).join();
        CompletableFuture.allOf(fromB.toArray(CompletableFuture[]::new)).join();

        for (int shard = 0; shard < SHARDS; shard++) {
            TriggerReply ra = fromA.get(shard).join();
            TriggerReply rb = fromB.get(shard).join();
            assertThat(List.of(ra.outcome(), rb.outcome())).as("shard %d", shard)
                    .containsOnlyOnce(TriggerOutcome.ACCEPTED)
                    .containsAnyOf(TriggerOutcome.ALREADY_CLAIMED, TriggerOutcome.ALREADY_DONE);
            TriggerReply winner = ra.outcome() == TriggerOutcome.ACCEPTED ? ra : rb;
            assertThat(winner.fencingToken()).isPositive();
        }
        await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(reports.received()).hasSize(SHARDS));
        for (int shard = 0; shard < SHARDS; shard++) {
            assertThat(invocations.get(runId + "/" + shard)).as("shard %d", shard).hasValue(1);
        }
        assertThat(invocations).hasSize(SHARDS);
    }

    @Test
    void completionReplacesTheClaimByAPersistentNodeHoldingTheResult() throws Exception {
        long runId = runIds.incrementAndGet();
        TriggerReply reply = client.trigger(a.address(), Agents.trigger(runId, 0, "count", ""));
        assertThat(reply.outcome()).isEqualTo(TriggerOutcome.ACCEPTED);

        await().atMost(Agents.PATIENCE).until(() -> AttemptNodes.result(zooKeeper.observer(), runId, 0) != null);
        ShardResult done = AttemptNodes.resultOf(zooKeeper.observer(), runId, 0);
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.executorId()).isEqualTo(a.executorId());
        assertThat(done.fencingToken()).isEqualTo(reply.fencingToken());
        assertThat(AttemptNodes.result(zooKeeper.observer(), runId, 0).getCzxid()).as("a new node, made after the claim")
                .isGreaterThan(reply.fencingToken());
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        await().atMost(Agents.PATIENCE).until(() -> reports.result(runId, 0) != null);
        assertThat(reports.result(runId, 0)).isEqualTo(done);
    }

    @Test
    void aShardThatIsDoneRunsNothing() throws Exception {
        long runId = runIds.incrementAndGet();
        ShardResult earlier = new ShardResult(WireMessage.PROTOCOL_VERSION, runId, 0, 1, 1, "someone-else",
                RunStatus.SUCCEEDED, null, "", Agents.now(), Agents.now(), 1);
        zooKeeper.observer().create().creatingParentContainersIfNeeded().forPath(ZkLayout.attempt(runId, 0, 1), WireCodec.encode(earlier));

        TriggerReply reply = client.trigger(a.address(), Agents.trigger(runId, 0, "count", ""));

        assertThat(reply.outcome()).isEqualTo(TriggerOutcome.ALREADY_DONE);
        assertThat(reply.fencingToken()).isZero();
        assertThat(AttemptNodes.resultOf(zooKeeper.observer(), runId, 0)).isEqualTo(earlier);
        assertThat(invocations).isEmpty();
        assertThat(a.status().running()).isEmpty();
    }

    @Test
    void aShardClaimedElsewhereRunsNothing() throws Exception {
        long runId = runIds.incrementAndGet();
        zooKeeper.observer().create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                .forPath(ZkLayout.attempt(runId, 3, 1), new byte[0]);

        TriggerReply reply = client.trigger(a.address(), Agents.trigger(runId, 1L, 3, 4, "count", "", List.of(), 0, null, null));

        assertThat(reply.outcome()).isEqualTo(TriggerOutcome.ALREADY_CLAIMED);
        assertThat(invocations).isEmpty();
        assertThat(AttemptNodes.claim(zooKeeper.observer(), runId, 3).getEphemeralOwner())
                .isEqualTo(zooKeeper.observer().getZookeeperClient().getZooKeeper().getSessionId());
    }

    @Test
    void theSameTriggerTwiceAtOnceAndOnceMoreAfterItFinishedRunsOnce() throws Exception {
        long runId = runIds.incrementAndGet();
        CompletableFuture<TriggerReply> first = client.triggerAsync(a.address(), Agents.trigger(runId, 0, "count", ""));
        CompletableFuture<TriggerReply> second = client.triggerAsync(a.address(), Agents.trigger(runId, 0, "count", ""));

        assertThat(List.of(first.join().outcome(), second.join().outcome())).containsOnlyOnce(TriggerOutcome.ACCEPTED);
        await().atMost(Agents.PATIENCE).until(() -> reports.result(runId, 0) != null);
        await().atMost(Agents.PATIENCE).until(() -> a.status().running().isEmpty());
        assertThat(client.trigger(a.address(), Agents.trigger(runId, 0, "count", "")).outcome())
                .isEqualTo(TriggerOutcome.ALREADY_DONE);
        assertThat(client.trigger(b.address(), Agents.trigger(runId, 0, "count", "")).outcome())
                .isEqualTo(TriggerOutcome.ALREADY_DONE);
        assertThat(invocations.get(runId + "/0")).hasValue(1);
    }

    @Test
    void aTriggerBatchIsClaimedInOneTransaction() throws Exception {
        long runId = runIds.incrementAndGet();
        zooKeeper.observer().create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.run(runId));
        List<TriggerRequest> triggers = IntStream.range(0, 100)
                .mapToObj(shard -> Agents.trigger(runId, 7L, shard, 100, "count", "", List.of(), 0, null, null)).toList();

        TriggerBatchReply reply = client.triggerBatch(a.address(), new TriggerBatch(WireMessage.PROTOCOL_VERSION, triggers));

        assertThat(reply.replies()).extracting(TriggerReply::outcome).containsOnly(TriggerOutcome.ACCEPTED);
        assertThat(reply.replies()).extracting(TriggerReply::shardIndex)
                .containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
        long token = reply.replies().get(0).fencingToken();
        assertThat(reply.replies()).extracting(TriggerReply::fencingToken).as("one zxid: one transaction").containsOnly(token);
        await().atMost(Agents.PATIENCE).until(() -> reports.received().size() == 100);
        assertThat(invocations.keySet().stream().filter(k -> k.startsWith(runId + "/"))).hasSize(100);
    }

    @Test
    void aBatchMeetingAnAttemptHeldElsewhereAndAFinishedOneRunsOnlyTheRestAndNothingTwice() throws Exception {
        long runId = runIds.incrementAndGet();
        zooKeeper.observer().create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                .forPath(ZkLayout.attempt(runId, 1, 1), new byte[0]);
        ShardResult earlier = new ShardResult(WireMessage.PROTOCOL_VERSION, runId, 2, 1, 7, "someone-else",
                RunStatus.SUCCEEDED, null, "", Agents.now(), Agents.now(), 1);
        zooKeeper.observer().create().forPath(ZkLayout.attempt(runId, 2, 1), WireCodec.encode(earlier));
        List<TriggerRequest> triggers = IntStream.range(0, 6)
                .mapToObj(shard -> Agents.trigger(runId, 7L, shard, 6, "count", "", List.of(), 0, null, null)).toList();
        TriggerBatch batch = new TriggerBatch(WireMessage.PROTOCOL_VERSION, triggers);

        CompletableFuture<TriggerBatchReply> toA = client.triggerBatchAsync(a.address(), batch);
        CompletableFuture<TriggerBatchReply> toB = client.triggerBatchAsync(b.address(), batch);

        List<TriggerReply> fromA = toA.join().replies();
        List<TriggerReply> fromB = toB.join().replies();
        for (List<TriggerReply> replies : List.of(fromA, fromB)) {
            assertThat(replies.get(1).outcome()).isEqualTo(TriggerOutcome.ALREADY_CLAIMED);
            assertThat(replies.get(2).outcome()).isEqualTo(TriggerOutcome.ALREADY_DONE);
        }
        for (int shard : new int[] {0, 3, 4, 5}) {
            assertThat(List.of(fromA.get(shard).outcome(), fromB.get(shard).outcome())).as("shard %d", shard)
                    .containsOnlyOnce(TriggerOutcome.ACCEPTED);
        }
        await().atMost(Agents.PATIENCE).until(() -> reports.received().size() == 4);
        for (int shard : new int[] {0, 3, 4, 5}) {
            assertThat(invocations.get(runId + "/" + shard)).as("shard %d", shard).hasValue(1);
        }
        assertThat(invocations).doesNotContainKeys(runId + "/1", runId + "/2");
        assertThat(AttemptNodes.resultOf(zooKeeper.observer(), runId, 2)).isEqualTo(earlier);
    }

    @Test
    void unknownHandlersAndTheDisabledCommandHandlerClaimNothing() throws Exception {
        long runId = runIds.incrementAndGet();
        assertThat(client.trigger(a.address(), Agents.trigger(runId, 0, "nope", "")).outcome())
                .isEqualTo(TriggerOutcome.UNKNOWN_HANDLER);
        assertThat(client.trigger(a.address(), Agents.trigger(runId, 0, "command", "true")).outcome())
                .isEqualTo(TriggerOutcome.COMMAND_DISABLED);
        assertThat(zooKeeper.observer().checkExists().forPath(ZkLayout.run(runId))).isNull();
    }
}
