package io.tessera.executor.claim;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ExactlyOnceTest {

    private static final int SHARDS = 200;

    private static TestingServer zk;
    private static CuratorFramework observer;
    private final SignedClient client = new SignedClient();
    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    private final AtomicLong runIds = new AtomicLong(System.nanoTime() % 1_000_000);
    private final RecordingReporter reports = new RecordingReporter();
    private TesseraAgent a;
    private TesseraAgent b;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zk = new TestingServer();
        observer = Agents.observer(zk);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        observer.close();
        zk.close();
    }

    @BeforeEach
    void startAgents(@TempDir Path dir) throws Exception {
        a = TesseraAgent.start(Agents.config(zk, dir.resolve("a")).slots(SHARDS + 10).build(), reports);
        b = TesseraAgent.start(Agents.config(zk, dir.resolve("b")).slots(SHARDS + 10).build(), reports);
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
    void completionDeletesTheClaimAndWritesDoneInOneStep() throws Exception {
        long runId = runIds.incrementAndGet();
        TriggerReply reply = client.trigger(a.address(), Agents.trigger(runId, 0, "count", ""));
        assertThat(reply.outcome()).isEqualTo(TriggerOutcome.ACCEPTED);

        await().atMost(Agents.PATIENCE).until(() -> observer.checkExists().forPath(ZkLayout.done(runId, 0)) != null);
        assertThat(observer.checkExists().forPath(ZkLayout.claim(runId, 0))).isNull();
        ShardResult done = WireCodec.decode(observer.getData().forPath(ZkLayout.done(runId, 0)), ShardResult.class);
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.executorId()).isEqualTo(a.executorId());
        assertThat(done.fencingToken()).isEqualTo(reply.fencingToken());
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        await().atMost(Agents.PATIENCE).until(() -> reports.result(runId, 0) != null);
        assertThat(reports.result(runId, 0)).isEqualTo(done);
    }

    @Test
    void aShardThatIsDoneRunsNothing() throws Exception {
        long runId = runIds.incrementAndGet();
        ShardResult earlier = new ShardResult(WireMessage.PROTOCOL_VERSION, runId, 0, 1, 1, "someone-else",
                RunStatus.SUCCEEDED, null, "", Instant.now(), Instant.now(), 1);
        observer.create().creatingParentsIfNeeded().forPath(ZkLayout.done(runId, 0), WireCodec.encode(earlier));

        TriggerReply reply = client.trigger(a.address(), Agents.trigger(runId, 0, "count", ""));

        assertThat(reply.outcome()).isEqualTo(TriggerOutcome.ALREADY_DONE);
        assertThat(reply.fencingToken()).isZero();
        assertThat(observer.checkExists().forPath(ZkLayout.claim(runId, 0))).as("the claim was given back").isNull();
        assertThat(WireCodec.decode(observer.getData().forPath(ZkLayout.done(runId, 0)), ShardResult.class)).isEqualTo(earlier);
        assertThat(invocations).isEmpty();
        assertThat(a.status().running()).isEmpty();
    }

    @Test
    void aShardClaimedElsewhereRunsNothing() throws Exception {
        long runId = runIds.incrementAndGet();
        observer.create().creatingParentsIfNeeded().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL)
                .forPath(ZkLayout.claim(runId, 3), new byte[0]);

        TriggerReply reply = client.trigger(a.address(), Agents.trigger(runId, 1L, 3, 4, "count", "", List.of(), 0, null, null));

        assertThat(reply.outcome()).isEqualTo(TriggerOutcome.ALREADY_CLAIMED);
        assertThat(invocations).isEmpty();
        assertThat(observer.checkExists().forPath(ZkLayout.claim(runId, 3)).getEphemeralOwner())
                .isEqualTo(observer.getZookeeperClient().getZooKeeper().getSessionId());
    }

    @Test
    void theSameTriggerTwiceToOneAgentRunsOnce() throws Exception {
        long runId = runIds.incrementAndGet();
        CompletableFuture<TriggerReply> first = client.triggerAsync(a.address(), Agents.trigger(runId, 0, "count", ""));
        CompletableFuture<TriggerReply> second = client.triggerAsync(a.address(), Agents.trigger(runId, 0, "count", ""));

        assertThat(List.of(first.join().outcome(), second.join().outcome())).containsOnlyOnce(TriggerOutcome.ACCEPTED);
        await().atMost(Agents.PATIENCE).until(() -> reports.result(runId, 0) != null);
        assertThat(invocations.get(runId + "/0")).hasValue(1);
    }

    @Test
    void unknownHandlersAndTheDisabledCommandHandlerClaimNothing() throws Exception {
        long runId = runIds.incrementAndGet();
        assertThat(client.trigger(a.address(), Agents.trigger(runId, 0, "nope", "")).outcome())
                .isEqualTo(TriggerOutcome.UNKNOWN_HANDLER);
        assertThat(client.trigger(a.address(), Agents.trigger(runId, 0, "command", "true")).outcome())
                .isEqualTo(TriggerOutcome.COMMAND_DISABLED);
        assertThat(observer.checkExists().forPath(ZkLayout.shard(runId, 0))).isNull();
    }
}
