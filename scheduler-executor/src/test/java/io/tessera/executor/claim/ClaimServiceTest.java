package io.tessera.executor.claim;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.ShardClaim;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.support.Agents;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The lease protocol against a real ZooKeeper, below the agent. */
class ClaimServiceTest {

    private static TestingServer zk;
    private static CuratorFramework observer;
    private CuratorFramework client;
    private ClaimService claims;

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
    void connect() throws Exception {
        client = CuratorFrameworkFactory.builder().connectString(zk.getConnectString()).namespace("tessera")
                .sessionTimeoutMs((int) Agents.SESSION_TIMEOUT.toMillis()).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        client.blockUntilConnected();
        claims = new ClaimService(client, "executor-a", Runnable::run, Clock.systemUTC());
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private static ShardResult result(Claim claim) {
        return new ShardResult(WireMessage.PROTOCOL_VERSION, claim.runId(), claim.shard(), claim.attempt(), 1, "executor-a",
                RunStatus.SUCCEEDED, 0, "", Instant.now(), Instant.now(), claim.fencingToken());
    }

    @Test
    void aClaimCarriesItsCreationZxidAsFencingTokenAndWhoHoldsIt() throws Exception {
        Claim claim = claims.claim(801, 0, 2).toCompletableFuture().join().claim();
        Stat stat = observer.checkExists().forPath(ZkLayout.claim(801, 0));
        assertThat(claim.fencingToken()).isEqualTo(stat.getCzxid());
        assertThat(stat.getEphemeralOwner()).isEqualTo(claim.sessionId());
        ShardClaim data = WireCodec.decode(observer.getData().forPath(ZkLayout.claim(801, 0)), ShardClaim.class);
        assertThat(data.executorId()).isEqualTo("executor-a");
        assertThat(data.attempt()).isEqualTo(2);

        Claim later = claims.claim(801, 1, 1).toCompletableFuture().join().claim();
        assertThat(later.fencingToken()).isGreaterThan(claim.fencingToken());
    }

    @Test
    void completionIsStaleWhenTheClaimIsGoneAndWritesNothing() throws Exception {
        Claim claim = claims.claim(802, 0, 1).toCompletableFuture().join().claim();
        observer.delete().forPath(ZkLayout.claim(802, 0));

        assertThat(claims.complete(claim, result(claim)).toCompletableFuture().join()).isEqualTo(Completion.STALE);
        assertThat(observer.checkExists().forPath(ZkLayout.done(802, 0))).isNull();
    }

    @Test
    void aHolderWhoseSessionExpiredCannotCompleteOrReleaseTheNextHoldersClaim() throws Exception {
        Claim stale = claims.claim(803, 0, 1).toCompletableFuture().join().claim();
        CountDownLatch newSession = new CountDownLatch(1);
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (state == ConnectionState.RECONNECTED) {
                newSession.countDown();
            }
        });
        client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        assertThat(newSession.await(Agents.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // The server drops the old session within its timeout; then another executor claims the shard.
        org.awaitility.Awaitility.await().atMost(Agents.PATIENCE)
                .until(() -> observer.checkExists().forPath(ZkLayout.claim(803, 0)) == null);
        observer.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.claim(803, 0));
        Stat next = observer.checkExists().forPath(ZkLayout.claim(803, 0));
        assertThat(next.getVersion()).as("same data version as the stale claim").isEqualTo(stale.version());

        assertThat(claims.complete(stale, result(stale)).toCompletableFuture().join()).isEqualTo(Completion.STALE);
        assertThat(claims.release(stale).toCompletableFuture().join()).isEqualTo(Completion.STALE);
        assertThat(observer.checkExists().forPath(ZkLayout.claim(803, 0)).getCzxid()).isEqualTo(next.getCzxid());
        assertThat(observer.checkExists().forPath(ZkLayout.done(803, 0))).isNull();
    }

    @Test
    void anOrphanClaimOfOurOwnSessionIsAdopted() throws Exception {
        // What a create retried after a lost reply leaves: a claim node of our own session that we do not know.
        client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.claim(804, 0));
        ClaimAttempt attempt = claims.claim(804, 0, 1).toCompletableFuture().join();
        assertThat(attempt.outcome()).isEqualTo(ClaimAttempt.Outcome.CLAIMED);
        assertThat(claims.complete(attempt.claim(), result(attempt.claim())).toCompletableFuture().join()).isEqualTo(Completion.DONE);
        assertThat(observer.checkExists().forPath(ZkLayout.done(804, 0))).isNotNull();
    }

    @Test
    void anotherSessionsClaimIsNotAdopted() throws Exception {
        observer.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.claim(805, 0));
        assertThat(claims.claim(805, 0, 1).toCompletableFuture().join().outcome()).isEqualTo(ClaimAttempt.Outcome.ALREADY_CLAIMED);
    }
}
