package io.tessera.executor.run;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.TriggerOutcome;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.AttemptNodes;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shard that finished while ZooKeeper was down, so long that the session ended before its result
 * could be written, is recorded on the next session: once, and without running it again.
 */
class ResultAfterExpiryTest {

    private final SignedClient client = new SignedClient();
    private final RecordingReporter reports = new RecordingReporter();

    @Test
    void aShardThatFinishedDuringAnOutageLongerThanTheSessionIsRecordedOnceOnTheNextSession(@TempDir Path dir)
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        CountDownLatch sessionLost = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (TestingServer zk = new TestingServer();
             TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).build(), reports)) {
            agent.handlers().register("gate", ctx -> {
                runs.incrementAndGet();
                started.countDown();
                finish.await();
                finished.countDown();
                return HandlerResult.succeeded();
            });
            agent.curator().getConnectionStateListenable().addListener((c, state) -> {
                if (state == ConnectionState.LOST) {
                    sessionLost.countDown();
                }
            });
            assertThat(client.trigger(agent.address(), Agents.trigger(701, 0, "gate", "")).outcome())
                    .isEqualTo(TriggerOutcome.ACCEPTED);
            assertThat(started.await(Agents.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            Stat claim;
            try (CuratorFramework observer = Agents.observer(zk)) {
                await().atMost(Agents.PATIENCE).until(() -> AttemptNodes.claim(observer, 701, 0) != null);
                claim = AttemptNodes.claim(observer, 701, 0);
            }

            zk.stop();
            finish.countDown(); // well before the zombie deadline: the handler finished, it was not stopped
            assertThat(finished.await(Agents.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(sessionLost.await(Agents.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("the outage outlasts the session").isTrue();
            assertThat(reports.received()).as("nothing could be recorded meanwhile").isEmpty();
            zk.restart();

            await().atMost(Agents.PATIENCE).untilAsserted(() -> {
                assertThat(reports.result(701, 0)).isNotNull();
                assertThat(agent.status().running()).isEmpty();
            });
            assertThat(reports.result(701, 0).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(reports.result(701, 0).fencingToken()).as("the claim's own token").isEqualTo(claim.getCzxid());
            try (CuratorFramework observer = Agents.observer(zk)) {
                assertThat(AttemptNodes.result(observer, 701, 0)).as("attempt 1 holds the result").isNotNull();
                assertThat(AttemptNodes.resultOf(observer, 701, 0).status()).isEqualTo(RunStatus.SUCCEEDED);
            }
            assertThat(reports.count()).as("reported once").isEqualTo(1);
            assertThat(runs.get()).as("the handler ran once").isEqualTo(1);
            assertThat(agent.recoveredResults()).as("counted as recovered").isEqualTo(1);
        }
    }
}
