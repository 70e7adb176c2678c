package io.tessera.executor.claim;

import io.tessera.core.model.RunStatus;
import io.tessera.core.wire.ShardResult;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireMessage;
import io.tessera.core.zk.ShardClaim;
import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;
import io.tessera.core.zk.ZkLayout.AttemptPath;
import io.tessera.executor.run.ShardLeases;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.ServerCounts;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attempt lease protocol against a real ZooKeeper, below the agent. Nothing else writes to this
 * server while a test runs, so the zxids between two marker nodes count the transactions.
 */
class ClaimServiceTest {

    private static TestingServer zk;
    private static CuratorFramework observer;
    private CuratorFramework client;
    private ClaimService claims;
    private ExecutorService drainer;
    private ScheduledExecutorService scheduler;
    /** Holds the completion drainer while a test queues completions behind it. */
    private CountDownLatch drainerBusy;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zk = new TestingServer();
        observer = Agents.observer(zk);
        observer.create().forPath("/markers");
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        observer.close();
        zk.close();
    }

    @BeforeEach
    void connect() throws Exception {
        client = ZkAccess.fromSecret(Agents.SECRET).apply(CuratorFrameworkFactory.builder())
                .connectString(zk.getConnectString()).namespace("tessera")
                .sessionTimeoutMs((int) Agents.SESSION_TIMEOUT.toMillis()).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        client.blockUntilConnected();
        drainer = Executors.newSingleThreadExecutor();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        claims = new ClaimService(client, "executor-a", drainer, scheduler, Clock.systemUTC(), new ShardLeases(),
                ZkAccess.fromSecret(Agents.SECRET).acl());
        drainerBusy = new CountDownLatch(1);
    }

    @AfterEach
    void disconnect() {
        drainerBusy.countDown();
        drainer.shutdownNow();
        scheduler.shutdownNow();
        client.close();
    }

    /** What the leader does before it sends a run's shards. */
    private static void makeRun(long runId) throws Exception {
        observer.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.run(runId));
    }

    private List<ClaimAttempt> claim(List<AttemptPath> attempts) {
        return claims.claim(attempts, claims.sessionId()).toCompletableFuture().join();
    }

    private static List<AttemptPath> shards(long runId, int count) {
        return IntStream.range(0, count).mapToObj(shard -> new AttemptPath(runId, shard, 1)).toList();
    }

    /** Writes a marker node: its czxid is the transaction counter now. */
    private static long marker(String name) throws Exception {
        Stat stat = new Stat();
        observer.create().storingStatIn(stat).forPath("/markers/" + name);
        return stat.getCzxid();
    }

    private static ShardResult result(Claim claim) {
        return new ShardResult(WireMessage.PROTOCOL_VERSION, claim.runId(), claim.shard(), claim.attempt(), 1, "executor-a",
                RunStatus.SUCCEEDED, 0, "shard " + claim.shard(), Agents.now(), Agents.now(), claim.fencingToken());
    }

    private void occupyDrainer() {
        drainer.execute(() -> {
            try {
                drainerBusy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Claims and results go to the raw handle, past Curator's ACL provider: they carry the cluster's ACL all the same. */
    @Test
    void claimsResultsAndTheRunNodesAnExecutorMakesOpenToNoOneElse() throws Exception {
        List<org.apache.zookeeper.data.ACL> cluster = ZkAccess.fromSecret(Agents.SECRET).acl();
        makeRun(811);
        Claim claim = claim(List.of(new AttemptPath(811, 0, 1))).get(0).claim();
        assertThat(observer.getACL().forPath(claim.path())).as("the claim").isEqualTo(cluster);
        long missing = 3_456_789;
        Claim madeParents = claim(List.of(new AttemptPath(missing, 0, 1))).get(0).claim();
        assertThat(observer.getACL().forPath(ZkLayout.run(missing))).as("a run node the executor made").isEqualTo(cluster);
        assertThat(observer.getACL().forPath(ZkLayout.bucket(ZkLayout.bucketOf(missing)))).isEqualTo(cluster);

        assertThat(claims.complete(claim, result(claim)).toCompletableFuture().join()).isEqualTo(Completion.DONE);
        assertThat(claims.complete(madeParents, result(madeParents)).toCompletableFuture().join()).isEqualTo(Completion.DONE);
        assertThat(observer.getACL().forPath(claim.path())).as("the result").isEqualTo(cluster);

        try (CuratorFramework stranger = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            stranger.start();
            stranger.blockUntilConnected();
            assertThatThrownBy(() -> stranger.setData().forPath("/tessera" + claim.path(), new byte[]{'x'}))
                    .isInstanceOf(org.apache.zookeeper.KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.create().forPath("/tessera" + ZkLayout.attempt(811, 1, 1)))
                    .isInstanceOf(org.apache.zookeeper.KeeperException.NoAuthException.class);
        }
    }

    @Test
    void aClaimCarriesItsCreationZxidAsFencingTokenAndWhoHoldsIt() throws Exception {
        makeRun(801);
        Claim claim = claim(List.of(new AttemptPath(801, 0, 2))).get(0).claim();
        Stat stat = observer.checkExists().forPath(ZkLayout.attempt(801, 0, 2));
        assertThat(claim.fencingToken()).isEqualTo(stat.getCzxid());
        assertThat(claim.path()).isEqualTo(ZkLayout.attempt(801, 0, 2));
        assertThat(stat.getEphemeralOwner()).isEqualTo(claim.sessionId()).isEqualTo(client.getZookeeperClient().getZooKeeper().getSessionId());
        ShardClaim data = WireCodec.decode(observer.getData().forPath(ZkLayout.attempt(801, 0, 2)), ShardClaim.class);
        assertThat(data.executorId()).isEqualTo("executor-a");
        assertThat(data.attempt()).isEqualTo(2);

        Claim later = claim(List.of(new AttemptPath(801, 1, 1))).get(0).claim();
        assertThat(later.fencingToken()).isGreaterThan(claim.fencingToken());
    }

    @Test
    void aBatchOfAttemptsIsClaimedInOneTransactionAndOneRequest() throws Exception {
        makeRun(802);
        long before = marker("before-802");
        long requestsBefore = ServerCounts.received(zk);

        List<ClaimAttempt> outcomes = claim(shards(802, 200));

        long requests = ServerCounts.received(zk) - requestsBefore;
        long after = marker("after-802");
        assertThat(outcomes).extracting(ClaimAttempt::outcome).containsOnly(ClaimAttempt.Outcome.CLAIMED);
        assertThat(after - before).as("one transaction between the markers").isEqualTo(2);
        assertThat(outcomes).extracting(o -> o.claim().fencingToken()).containsOnly(before + 1);
        for (int shard = 0; shard < 200; shard++) {
            Stat stat = observer.checkExists().forPath(ZkLayout.attempt(802, shard, 1));
            assertThat(stat.getCzxid()).isEqualTo(before + 1);
            assertThat(stat.getEphemeralOwner()).isEqualTo(claims.sessionId());
        }
        assertThat(requests).as("one multi (and at most a ping or two), not a request per attempt").isBetween(1L, 5L);
    }

    @Test
    void aBatchClaimsWhatIsFreeAndSaysWhichAttemptsAreHeldElsewhereOrFinished() throws Exception {
        makeRun(803);
        observer.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.attempt(803, 1, 1), new byte[0]);
        Stat held = observer.checkExists().forPath(ZkLayout.attempt(803, 1, 1));
        ShardResult earlier = new ShardResult(WireMessage.PROTOCOL_VERSION, 803, 2, 1, 1, "someone-else", RunStatus.SUCCEEDED,
                null, "", Agents.now(), Agents.now(), 1);
        observer.create().forPath(ZkLayout.attempt(803, 2, 1), WireCodec.encode(earlier));

        List<ClaimAttempt> outcomes = claim(shards(803, 5));

        assertThat(outcomes).extracting(ClaimAttempt::outcome).containsExactly(ClaimAttempt.Outcome.CLAIMED,
                ClaimAttempt.Outcome.ALREADY_CLAIMED, ClaimAttempt.Outcome.ALREADY_DONE, ClaimAttempt.Outcome.CLAIMED,
                ClaimAttempt.Outcome.CLAIMED);
        assertThat(outcomes.get(1).message()).contains("held by another executor");
        assertThat(outcomes.get(2).message()).contains("already has a result");
        Stat stillHeld = observer.checkExists().forPath(ZkLayout.attempt(803, 1, 1));
        assertThat(stillHeld.getCzxid()).isEqualTo(held.getCzxid());
        assertThat(stillHeld.getEphemeralOwner()).isEqualTo(observer.getZookeeperClient().getZooKeeper().getSessionId());
        assertThat(WireCodec.decode(observer.getData().forPath(ZkLayout.attempt(803, 2, 1)), ShardResult.class)).isEqualTo(earlier);
        for (int shard : new int[] {0, 3, 4}) {
            assertThat(observer.checkExists().forPath(ZkLayout.attempt(803, shard, 1)).getEphemeralOwner())
                    .isEqualTo(claims.sessionId());
        }
    }

    @Test
    void anOrphanClaimOfOurOwnSessionIsAdopted() throws Exception {
        makeRun(804);
        // What a claim whose answer was lost leaves: a node of our own session that we do not know.
        client.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.attempt(804, 0, 1));
        long orphan = observer.checkExists().forPath(ZkLayout.attempt(804, 0, 1)).getCzxid();

        List<ClaimAttempt> outcomes = claim(shards(804, 2));

        assertThat(outcomes).extracting(ClaimAttempt::outcome).containsOnly(ClaimAttempt.Outcome.CLAIMED);
        assertThat(outcomes.get(0).claim().fencingToken()).isEqualTo(orphan);
        Claim adopted = outcomes.get(0).claim();
        assertThat(claims.complete(adopted, result(adopted)).toCompletableFuture().join()).isEqualTo(Completion.DONE);
        assertThat(observer.checkExists().forPath(ZkLayout.attempt(804, 0, 1)).getEphemeralOwner()).isZero();
    }

    @Test
    void theResultsOfABurstReplaceTheirClaimsInOneTransaction() throws Exception {
        makeRun(806);
        List<Claim> held = claim(shards(806, 50)).stream().map(ClaimAttempt::claim).toList();
        occupyDrainer();
        long before = marker("before-806");

        List<ShardResult> results = held.stream().map(ClaimServiceTest::result).toList();
        List<CompletableFuture<Completion>> completions = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            completions.add(claims.complete(held.get(i), results.get(i)).toCompletableFuture());
        }
        drainerBusy.countDown();

        assertThat(completions).extracting(CompletableFuture::join).containsOnly(Completion.DONE);
        assertThat(marker("after-806") - before).as("one transaction between the markers").isEqualTo(2);
        for (int i = 0; i < held.size(); i++) {
            Stat stat = observer.checkExists().forPath(held.get(i).path());
            assertThat(stat.getEphemeralOwner()).as("persistent").isZero();
            assertThat(stat.getCzxid()).isEqualTo(before + 1);
            assertThat(WireCodec.decode(observer.getData().forPath(held.get(i).path()), ShardResult.class)).isEqualTo(results.get(i));
        }
    }

    @Test
    void aCompletionWhoseClaimIsGoneIsStaleAndWritesNothingWhileTheRestOfItsBatchIsDone() throws Exception {
        makeRun(807);
        List<Claim> held = claim(shards(807, 3)).stream().map(ClaimAttempt::claim).toList();
        observer.delete().forPath(held.get(1).path());
        occupyDrainer();

        List<CompletableFuture<Completion>> completions = held.stream()
                .map(claim -> claims.complete(claim, result(claim)).toCompletableFuture()).toList();
        drainerBusy.countDown();

        assertThat(completions).extracting(CompletableFuture::join)
                .containsExactly(Completion.DONE, Completion.STALE, Completion.DONE);
        assertThat(observer.checkExists().forPath(held.get(1).path())).isNull();
        assertThat(observer.checkExists().forPath(held.get(0).path()).getEphemeralOwner()).isZero();
        assertThat(observer.checkExists().forPath(held.get(2).path()).getEphemeralOwner()).isZero();
    }

    @Test
    void aReleasedAttemptCanBeClaimedAgain() throws Exception {
        makeRun(808);
        Claim first = claim(shards(808, 1)).get(0).claim();
        assertThat(claims.release(first).toCompletableFuture().join()).isEqualTo(Completion.DONE);
        assertThat(observer.checkExists().forPath(first.path())).isNull();

        Claim second = claim(shards(808, 1)).get(0).claim();
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
    }
}
