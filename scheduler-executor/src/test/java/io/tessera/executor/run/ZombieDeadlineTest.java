package io.tessera.executor.run;

import io.tessera.core.wire.TriggerOutcome;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.AttemptNodes;
import io.tessera.executor.support.PartitionProxy;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SignedClient;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.Watcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The zombie rule: an agent cut off from ZooKeeper stops its shards before the server can expire
 * its session, counted from the last time it heard from the server, not from when it noticed.
 */
class ZombieDeadlineTest {

    private final SignedClient client = new SignedClient();
    private final RecordingReporter reports = new RecordingReporter();

    @Test
    void aPartitionedAgentStopsItsShardBeforeTheServerCanExpireItsSession(@TempDir Path dir) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicLong stoppedAt = new AtomicLong();
        AtomicLong claimGoneAt = new AtomicLong();
        try (TestingServer zk = new TestingServer();
             CuratorFramework observer = Agents.observer(zk);
             PartitionProxy network = new PartitionProxy("127.0.0.1", zk.getPort());
             TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).zookeeper(network.connectString()).build(),
                     reports)) {
            agent.handlers().register("long", ctx -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    stoppedAt.set(System.nanoTime());
                    throw e;
                }
                return HandlerResult.succeeded();
            });
            assertThat(client.trigger(agent.address(), Agents.trigger(601, 0, "long", "")).outcome())
                    .isEqualTo(TriggerOutcome.ACCEPTED);
            assertThat(started.await(Agents.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            long timeout = TimeUnit.MILLISECONDS.toNanos(agent.curator().getZookeeperClient().getZooKeeper().getSessionTimeout());
            await().atMost(Agents.PATIENCE).until(() -> AttemptNodes.claim(observer, 601, 0) != null);
            observer.checkExists().usingWatcher((Watcher) event -> {
                if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                    claimGoneAt.set(System.nanoTime());
                }
            }).forPath(ZkLayout.attempt(601, 0, 1));

            network.cut();

            await().atMost(Agents.PATIENCE).until(() -> stoppedAt.get() != 0);
            long lastContact = network.lastToClientNanos();
            assertThat(Duration.ofNanos(stoppedAt.get() - lastContact))
                    .as("the handler stops within the session timeout (%d ms) of the agent's last contact with ZooKeeper",
                            TimeUnit.NANOSECONDS.toMillis(timeout))
                    .isLessThan(Duration.ofNanos(timeout));
            // The server expires the session on its own: only then may the leader give the shard to someone else.
            await().atMost(Agents.PATIENCE).until(() -> claimGoneAt.get() != 0);
            assertThat(stoppedAt.get()).as("the zombie stopped before its claim vanished").isLessThan(claimGoneAt.get());
            assertThat(AttemptNodes.result(observer, 601, 0)).as("a stopped zombie records nothing").isNull();
            network.heal(); // the agent closes on a new session, without waiting for ZooKeeper
        }
    }
}
