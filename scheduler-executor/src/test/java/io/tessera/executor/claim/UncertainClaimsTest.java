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

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A claim whose answer was lost must not block its attempt for the session's whole life: once
 * ZooKeeper answers, the agent removes such a node of its own, unless it holds the shard by then.
 */
class UncertainClaimsTest {

    @Test
    void aClaimOfOurSessionNobodyHoldsIsRemovedWhileAHeldOneAndAnotherSessionsAreLeftAlone() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (TestingServer zk = new TestingServer(); CuratorFramework ours = Agents.observer(zk);
             CuratorFramework theirs = Agents.observer(zk)) {
            ours.create().creatingParentContainersIfNeeded().withMode(CreateMode.CONTAINER).forPath(ZkLayout.run(950));
            AttemptPath orphan = new AttemptPath(950, 0, 1);
            AttemptPath adopted = new AttemptPath(950, 1, 1);
            AttemptPath someoneElses = new AttemptPath(950, 2, 1);
            ours.create().withMode(CreateMode.EPHEMERAL).forPath(orphan.path());
            ours.create().withMode(CreateMode.EPHEMERAL).forPath(adopted.path());
            theirs.create().withMode(CreateMode.EPHEMERAL).forPath(someoneElses.path());
            ShardLeases leases = new ShardLeases();
            assertThat(leases.tryReserve(950, 1)).as("a trigger sent again holds shard 1 now").isTrue();
            long session = ours.getZookeeperClient().getZooKeeper().getSessionId();
            UncertainClaims uncertain = new UncertainClaims(new SessionHandles(ours, ZkAccess.fromSecret(Agents.SECRET).acl()),
                    scheduler, leases);

            for (AttemptPath attempt : new AttemptPath[] {orphan, adopted, someoneElses}) {
                uncertain.add(attempt, session);
            }

            await().atMost(Agents.PATIENCE).until(() -> uncertain.size() == 0);
            assertThat(ours.checkExists().forPath(orphan.path())).as("removed").isNull();
            assertThat(ours.checkExists().forPath(adopted.path())).as("held: left alone").isNotNull();
            assertThat(ours.checkExists().forPath(someoneElses.path()).getEphemeralOwner())
                    .isEqualTo(theirs.getZookeeperClient().getZooKeeper().getSessionId());
            assertThat(leases.tryReserve(950, 0)).as("the clean-up gave its reservation back").isTrue();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
