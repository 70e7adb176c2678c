package io.tessera.executor.run;

import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.AttemptNodes;
import io.tessera.executor.support.Pids;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SessionLossTest {

    private final SignedClient client = new SignedClient();
    private final RecordingReporter reports = new RecordingReporter();
    @TempDir
    Path work;

    @AfterEach
    void cleanUp() {
        Pids.kill(work.resolve("parent"));
        Pids.kill(work.resolve("child"));
    }

    @Test
    void aLostSessionStopsRunningShardsAndTheirProcessesAreGone(@TempDir Path dir) throws Exception {
        try (TestingServer zk = new TestingServer();
             CuratorFramework observer = Agents.observer(zk);
             TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).allowCommand(true).build(), reports)) {
            assertThat(client.trigger(agent.address(), Agents.trigger(301, 0, "command", Pids.treeCommand(work))).outcome())
                    .isEqualTo(TriggerOutcome.ACCEPTED);
            await().atMost(Agents.PATIENCE).until(() -> Pids.written(work.resolve("child")));
            long parent = Pids.read(work.resolve("parent"));
            long child = Pids.read(work.resolve("child"));
            assertThat(Pids.alive(child)).isTrue();

            agent.curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

            await().atMost(Agents.PATIENCE).untilAsserted(() -> {
                assertThat(Pids.alive(parent)).as("the shell").isFalse();
                assertThat(Pids.alive(child)).as("the shell's child").isFalse();
                assertThat(agent.status().running()).isEmpty();
            });
            // The injected expiry is the client's view; the server drops the old session's nodes within its timeout.
            await().atMost(Agents.PATIENCE).until(() -> AttemptNodes.claim(observer, 301, 0) == null);
            assertThat(AttemptNodes.result(observer, 301, 0)).as("a stopped zombie records nothing").isNull();
            assertThat(reports.received()).isEmpty();
        }
    }

    @Test
    void aConnectionOutAlmostAsLongAsTheSessionStopsShardsAndTriggersAreRefusedMeanwhile(@TempDir Path dir) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        try (TestingServer zk = new TestingServer();
             // Shards stop 6.2 s after the last answer (9 s less the 2 s kill grace and two ticks); the session
             // lasts 9 s, so the server comes back in time for the same session.
             TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).sessionTimeout(Duration.ofSeconds(9))
                     .killGrace(Duration.ofSeconds(2)).build(), reports)) {
            agent.handlers().register("wait", ctx -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.set(ctx.isCancelled());
                    throw e;
                }
                return HandlerResult.succeeded();
            });
            agent.handlers().register("noop", ctx -> HandlerResult.succeeded());
            assertThat(client.trigger(agent.address(), Agents.trigger(302, 0, "wait", "")).outcome())
                    .isEqualTo(TriggerOutcome.ACCEPTED);
            assertThat(started.await(Agents.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            zk.stop();
            await().atMost(Agents.PATIENCE).untilAsserted(() -> {
                assertThat(client.trigger(agent.address(), Agents.trigger(303, 0, "noop", "")).outcome())
                        .isEqualTo(TriggerOutcome.UNAVAILABLE);
            });
            await().atMost(Agents.PATIENCE).untilTrue(interrupted);

            // Back within the session timeout: the same session, so the stopped shard's claim is still
            // there and the agent must give it back rather than leave the shard blocked.
            zk.restart();
            await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(agent.status().running()).isEmpty());
            await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(
                    client.trigger(agent.address(), Agents.trigger(304, 0, "noop", "")).outcome()).isEqualTo(TriggerOutcome.ACCEPTED));
            await().atMost(Agents.PATIENCE).until(() -> reports.result(304, 0) != null);
            assertThat(reports.result(302, 0)).as("the stopped shard reports nothing").isNull();
            try (CuratorFramework observer = Agents.observer(zk)) {
                await().atMost(Agents.PATIENCE).until(() -> AttemptNodes.claim(observer, 302, 0) == null);
                assertThat(AttemptNodes.result(observer, 302, 0)).isNull();
            }
        }
    }
}
