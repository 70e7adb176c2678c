package io.tessera.executor.claim;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;
import io.tessera.core.zk.ZkLayout.AttemptPath;
import io.tessera.executor.run.ShardLeases;
import io.tessera.executor.support.Agents;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Claims belong to one session: never made on a newer one, never completed or released from an older one. */
class ClaimSessionTest {

    private TestingServer zk;
    private CuratorFramework observer;
    private CuratorFramework client;
    private ClaimService claims;
    private ExecutorService drainer;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void connect() throws Exception {
        zk = new TestingServer();
        observer = Agents.observer(zk);
        client = ZkAccess.fromSecret(Agents.SECRET).apply(CuratorFrameworkFactory.builder())
                .connectString(zk.getConnectString()).namespace("tessera")
                .sessionTimeoutMs((int) Agents.SESSION_TIMEOUT.toMillis()).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        client.blockUntilConnected();
        drainer = Executors.newSingleThreadExecutor();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        claims = new ClaimService(client, "executor-a", drainer, scheduler, Clock.systemUTC(), new ShardLeases(),
                ZkAccess.fromSecret(Agents.SECRET).acl());
    }

    @AfterEach
    void disconnect() throws Exception {
        drainer.shutdownNow();
        scheduler.shutdownNow();
        client.close();
        observer.close();
        zk.close();
    }

    private void expireSessionAndAwaitTheNext() throws Exception {
        long old = claims.sessionId();
        CountDownLatch reconnected = new CountDownLatch(1);
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (state == ConnectionState.RECONNECTED) {
                reconnected.countDown();
            }
        });
        client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        assertThat(reconnected.await(Agents.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(Agents.PATIENCE).until(() -> claims.sessionId() != 0 && claims.sessionId() != old);
    }

    @Test
    void triggersReceivedOnASessionThatEndedAreNotClaimedOnTheNextOne() throws Exception {
        observer.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.run(901));
        long receivedIn = claims.sessionId();
        expireSessionAndAwaitTheNext();

        List<ClaimAttempt> outcomes = claims.claim(List.of(new AttemptPath(901, 0, 1), new AttemptPath(901, 1, 1)), receivedIn)
                .toCompletableFuture().join();

        assertThat(outcomes).extracting(ClaimAttempt::outcome).containsOnly(ClaimAttempt.Outcome.UNAVAILABLE);
        assertThat(outcomes.get(0).message()).contains("session changed");
        assertThat(observer.getChildren().forPath(ZkLayout.run(901))).as("nothing claimed").isEmpty();
        assertThat(claims.claim(List.of(new AttemptPath(901, 0, 1)), claims.sessionId()).toCompletableFuture().join())
                .extracting(ClaimAttempt::outcome).as("the current session claims").containsOnly(ClaimAttempt.Outcome.CLAIMED);
    }

    @Test
    void aHolderWhoseSessionExpiredCannotCompleteOrReleaseTheNextHoldersClaim() throws Exception {
        observer.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.run(903));
        Claim stale = claims.claim(List.of(new AttemptPath(903, 0, 1)), claims.sessionId()).toCompletableFuture().join()
                .get(0).claim();
        expireSessionAndAwaitTheNext();
        // The server drops the old session within its timeout; then another executor claims the attempt.
        await().atMost(Agents.PATIENCE).until(() -> observer.checkExists().forPath(stale.path()) == null);
        observer.create().withMode(CreateMode.EPHEMERAL).forPath(stale.path());
        Stat next = observer.checkExists().forPath(stale.path());
        assertThat(next.getVersion()).as("same data version as the stale claim").isEqualTo(stale.version());

        ShardResult result = new ShardResult(WireMessage.PROTOCOL_VERSION, 903, 0, 1, 1, "executor-a", RunStatus.SUCCEEDED,
                0, "", Agents.now(), Agents.now(), stale.fencingToken());
        assertThat(claims.complete(stale, result).toCompletableFuture().join()).isEqualTo(Completion.STALE);
        assertThat(claims.release(stale).toCompletableFuture().join()).isEqualTo(Completion.STALE);
        Stat after = observer.checkExists().forPath(stale.path());
        assertThat(after.getCzxid()).isEqualTo(next.getCzxid());
        assertThat(after.getEphemeralOwner()).as("still the next holder's claim").isNotZero();
    }
}
