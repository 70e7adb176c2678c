package io.tessera.executor.run;

import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.wire.TriggerReply;
import io.tessera.core.wire.TriggerRequest;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.AttemptNodes;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SharedZooKeeper;
import io.tessera.executor.support.SignedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BlockStrategyTest {

    @RegisterExtension
    static final SharedZooKeeper zooKeeper = new SharedZooKeeper();
    private final SignedClient client = new SignedClient();
    private final RecordingReporter reports = new RecordingReporter();
    /** Latches that hold each run's handler until the test lets it finish. */
    private final Map<Long, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final List<Long> started = new CopyOnWriteArrayList<>();
    private TesseraAgent agent;

    @BeforeEach
    void startAgent(@TempDir Path dir) throws Exception {
        agent = TesseraAgent.start(Agents.config(zooKeeper.server(), dir).slots(3).build(), reports);
        agent.handlers().register("gated", ctx -> {
            started.add(ctx.runId());
            gate(ctx.runId()).await();
            return HandlerResult.succeeded();
        });
    }

    @AfterEach
    void closeAgent() {
        gates.values().forEach(CountDownLatch::countDown);
        agent.close();
    }

    private CountDownLatch gate(long runId) {
        return gates.computeIfAbsent(runId, id -> new CountDownLatch(1));
    }

    private TriggerReply trigger(long runId, long jobId, int shard, int total, BlockStrategy strategy) throws Exception {
        TriggerRequest trigger = Agents.trigger(runId, jobId, shard, total, "gated", "", List.of(), 0, strategy, null);
        return client.trigger(agent.address(), trigger);
    }

    @Test
    void serialQueuesALaterRunOfTheSameJobUntilTheRunningOneFinishes() throws Exception {
        assertThat(trigger(601, 60, 0, 1, BlockStrategy.SERIAL).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);
        TriggerReply queued = trigger(602, 60, 0, 1, BlockStrategy.SERIAL);
        assertThat(queued.outcome()).isEqualTo(TriggerOutcome.QUEUED);
        assertThat(queued.fencingToken()).isPositive();
        assertThat(AttemptNodes.claim(zooKeeper.observer(), 602, 0)).as("a queued shard keeps its claim").isNotNull();
        await().atMost(Agents.PATIENCE).until(() -> started.contains(601L));
        assertThat(started).doesNotContain(602L);

        gate(601).countDown();
        await().atMost(Agents.PATIENCE).until(() -> started.contains(602L));
        gate(602).countDown();
        await().atMost(Agents.PATIENCE).until(() -> reports.result(602, 0) != null);
        assertThat(reports.result(601, 0).finishedAt()).isBeforeOrEqualTo(reports.result(602, 0).startedAt());
    }

    @Test
    void shardsOfTheSameRunDoNotBlockEachOther() throws Exception {
        assertThat(trigger(603, 61, 0, 2, BlockStrategy.SERIAL).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);
        assertThat(trigger(603, 61, 1, 2, BlockStrategy.DISCARD_NEW).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);
    }

    @Test
    void discardNewRefusesALaterRunAndGivesItsClaimBack() throws Exception {
        assertThat(trigger(604, 62, 0, 1, BlockStrategy.DISCARD_NEW).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);
        TriggerReply discarded = trigger(605, 62, 0, 1, BlockStrategy.DISCARD_NEW);
        assertThat(discarded.outcome()).isEqualTo(TriggerOutcome.DISCARDED);
        assertThat(discarded.message()).contains("604");
        assertThat(zooKeeper.observer().checkExists().forPath(ZkLayout.attempt(605, 0, 1))).as("given back").isNull();
        gate(604).countDown();
        await().atMost(Agents.PATIENCE).until(() -> reports.result(604, 0) != null);
        assertThat(started).containsExactly(604L);
    }

    @Test
    void replaceOldStopsTheRunningRunAndStartsTheNewOne() throws Exception {
        assertThat(trigger(606, 63, 0, 1, BlockStrategy.REPLACE_OLD).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);
        await().atMost(Agents.PATIENCE).until(() -> started.contains(606L));
        assertThat(trigger(607, 63, 0, 1, BlockStrategy.REPLACE_OLD).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);

        await().atMost(Agents.PATIENCE).until(() -> reports.result(606, 0) != null);
        assertThat(reports.result(606, 0).status()).isEqualTo(RunStatus.CANCELLED);
        await().atMost(Agents.PATIENCE).until(() -> started.contains(607L));
        gate(607).countDown();
        await().atMost(Agents.PATIENCE).until(() -> reports.result(607, 0) != null);
        assertThat(reports.result(607, 0).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void withEverySlotTakenATriggerIsRefusedAndItsClaimGivenBack() throws Exception {
        for (int job = 0; job < 3; job++) {
            assertThat(trigger(610 + job, 70 + job, 0, 1, BlockStrategy.SERIAL).outcome()).isEqualTo(TriggerOutcome.ACCEPTED);
        }
        TriggerReply refused = trigger(620, 80, 0, 1, BlockStrategy.SERIAL);
        assertThat(refused.outcome()).isEqualTo(TriggerOutcome.NO_SLOT);
        assertThat(zooKeeper.observer().checkExists().forPath(ZkLayout.attempt(620, 0, 1))).as("given back").isNull();

        gate(610).countDown();
        await().atMost(Agents.PATIENCE).until(() -> reports.result(610, 0) != null);
        await().atMost(Agents.PATIENCE).untilAsserted(() ->
                assertThat(trigger(620, 80, 0, 1, BlockStrategy.SERIAL).outcome()).isEqualTo(TriggerOutcome.ACCEPTED));
    }
}
