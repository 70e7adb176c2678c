package io.tessera.executor.claim;

import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;
import io.tessera.core.zk.ZkLayout.AttemptPath;
import io.tessera.executor.run.ShardLeases;
import io.tessera.executor.support.Agents;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leader makes a run's node before it sends the shards; when it is missing, the claim makes it
 * (and its bucket) as container nodes, which the server removes by itself once they are empty.
 */
class MissingRunNodeTest {

    private static final String CONTAINER_SWEEP = "znode.container.checkIntervalMs";

    @Test
    void aMissingRunNodeAndBucketAreMadeAsContainersAndTheAttemptsClaimed() throws Exception {
        long missing = 987_654_321;
        ExecutorService drainer = Executors.newSingleThreadExecutor();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (TestingServer zk = serverSweepingContainersEvery100Ms(); CuratorFramework client = Agents.observer(zk);
             CuratorFramework observer = Agents.observer(zk)) {
            observer.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.run(5));
            ClaimService claims = new ClaimService(client, "executor-a", drainer, scheduler, Clock.systemUTC(), new ShardLeases(),
                ZkAccess.fromSecret(Agents.SECRET).acl());
            List<AttemptPath> attempts = new ArrayList<>(IntStream.range(0, 3).mapToObj(s -> new AttemptPath(missing, s, 1)).toList());
            attempts.add(new AttemptPath(5, 0, 1));

            List<ClaimAttempt> outcomes = claims.claim(attempts, claims.sessionId()).toCompletableFuture().join();

            assertThat(outcomes).extracting(ClaimAttempt::outcome).containsOnly(ClaimAttempt.Outcome.CLAIMED);
            assertThat(observer.getChildren().forPath(ZkLayout.run(missing))).containsExactlyInAnyOrder("0-1", "1-1", "2-1");
            for (ClaimAttempt outcome : outcomes.subList(0, 3)) {
                assertThat(claims.release(outcome.claim()).toCompletableFuture().join()).isEqualTo(Completion.DONE);
            }
            await("emptied containers go by themselves").atMost(Agents.PATIENCE)
                    .until(() -> observer.checkExists().forPath(ZkLayout.bucket(ZkLayout.bucketOf(missing))) == null);
            assertThat(observer.checkExists().forPath(ZkLayout.RUNS)).as("the runs root stays").isNotNull();
        } finally {
            drainer.shutdownNow();
            scheduler.shutdownNow();
        }
    }

    /** The server reads the interval when it starts; other tests' servers keep the default. */
    private static TestingServer serverSweepingContainersEvery100Ms() throws Exception {
        String before = System.getProperty(CONTAINER_SWEEP);
        System.setProperty(CONTAINER_SWEEP, "100");
        try {
            return new TestingServer();
        } finally {
            if (before == null) {
                System.clearProperty(CONTAINER_SWEEP);
            } else {
                System.setProperty(CONTAINER_SWEEP, before);
            }
        }
    }
}
