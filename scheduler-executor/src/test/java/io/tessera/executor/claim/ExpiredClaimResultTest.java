package io.tessera.executor.claim;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A result whose claim was lost only to the expiry of its session is recorded on the next session,
 * in one transaction that fails if anyone else took the attempt or a later attempt exists.
 */
class ExpiredClaimResultTest {

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

    /** Claims attempt 1 of the run's shard 0, then lets the session expire; the server drops its node. */
    private Claim claimThenLoseTheSession(long runId) throws Exception {
        observer.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.run(runId));
        Claim claim = claims.claim(List.of(new AttemptPath(runId, 0, 1)), claims.sessionId()).toCompletableFuture().join()
                .get(0).claim();
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
        await().atMost(Agents.PATIENCE).until(() -> observer.checkExists().forPath(claim.path()) == null);
        return claim;
    }

    private static ShardResult succeeded(Claim claim) {
        return new ShardResult(WireMessage.PROTOCOL_VERSION, claim.runId(), claim.shard(), claim.attempt(), 1, "executor-a",
                RunStatus.SUCCEEDED, 0, "", Agents.now(), Agents.now(), claim.fencingToken());
    }

    @Test
    void aResultWhoseSessionExpiredIsRecordedWhenNobodyTookItsAttempt() throws Exception {
        Claim expired = claimThenLoseTheSession(911);

        assertThat(claims.complete(expired, succeeded(expired)).toCompletableFuture().join()).isEqualTo(Completion.DONE);

        Stat stat = observer.checkExists().forPath(expired.path());
        assertThat(stat).isNotNull();
        assertThat(stat.getEphemeralOwner()).as("a result, not a claim").isZero();
        ShardResult recorded = WireCodec.decode(observer.getData().forPath(expired.path()), ShardResult.class);
        assertThat(recorded.fencingToken()).isEqualTo(expired.fencingToken());
        assertThat(recorded.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(observer.getChildren().forPath(ZkLayout.run(911))).as("nothing else written").containsExactly("0-1");
        assertThat(claims.recoveredResults()).isEqualTo(1);
    }

    @Test
    void aResultWhoseSessionExpiredIsNotRecordedOnceTheNextAttemptIsClaimed() throws Exception {
        Claim expired = claimThenLoseTheSession(912);
        // The leader saw the claim vanish and re-placed the shard: another executor holds attempt 2.
        observer.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.attempt(912, 0, 2));

        assertThat(claims.complete(expired, succeeded(expired)).toCompletableFuture().join()).isEqualTo(Completion.STALE);

        assertThat(observer.checkExists().forPath(expired.path())).as("attempt 1 stays without a result").isNull();
        assertThat(observer.checkExists().forPath(ZkLayout.attempt(912, 0, 2)).getEphemeralOwner()).isNotZero();
        assertThat(claims.recoveredResults()).isZero();
    }

    @Test
    void aResultWhoseSessionExpiredIsNotRecordedWhenAnyLaterAttemptExists() throws Exception {
        Claim expired = claimThenLoseTheSession(913);
        // Attempt 2 lost its claim too and left no node; attempt 3 has finished.
        observer.create().withMode(CreateMode.PERSISTENT).forPath(ZkLayout.attempt(913, 0, 3));

        assertThat(claims.complete(expired, succeeded(expired)).toCompletableFuture().join()).isEqualTo(Completion.STALE);
        assertThat(observer.checkExists().forPath(expired.path())).isNull();
    }
    @Test
    void aResultWhoseSessionExpiredIsNotRecordedOnceTheLeaderCalledTheAttemptLost() throws Exception {
        Claim expired = claimThenLoseTheSession(914);
        // The leader saw the claim vanish and wrote its verdict into the attempt's node before placing attempt 2
        // (as the admin's RunNodes.markLost does): from then on the attempt cannot end any other way.
        ShardResult lost = new ShardResult(WireMessage.PROTOCOL_VERSION, 914, 0, 1, 1, "executor-a", RunStatus.FAILED, null,
                "lost: its claim is gone without a result", null, Agents.now(), 0L);
        observer.create().withMode(CreateMode.PERSISTENT).forPath(expired.path(), WireCodec.encode(lost));

        assertThat(claims.complete(expired, succeeded(expired)).toCompletableFuture().join()).isEqualTo(Completion.STALE);

        ShardResult kept = WireCodec.decode(observer.getData().forPath(expired.path()), ShardResult.class);
        assertThat(kept.status()).as("the leader's verdict stays").isEqualTo(RunStatus.FAILED);
        assertThat(kept.fencingToken()).isZero();
        assertThat(claims.recoveredResults()).isZero();
    }
}
