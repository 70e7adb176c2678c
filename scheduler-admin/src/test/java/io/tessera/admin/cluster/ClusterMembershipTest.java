package io.tessera.admin.cluster;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The executor directory and the leader election against a real ZooKeeper. */
class ClusterMembershipTest {

    private TestingServer server;
    private CuratorFramework zookeeper;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer();
        zookeeper = client();
    }

    private CuratorFramework client() throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
                .namespace("tessera").sessionTimeoutMs(4000).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        client.blockUntilConnected();
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        zookeeper.close();
        server.close();
    }

    private String register(CuratorFramework client, String id, String group) throws Exception {
        ExecutorCard card = new ExecutorCard(id, group, id + ":9999", List.of(), 4, Map.of(), "t");
        return client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(ZkLayout.memberPrefix(group), WireCodec.encode(card));
    }

    @Test
    void theDirectoryFollowsMemberNodesInRegistrationOrderAndCountsAnExecutorOnce() throws Exception {
        try (ExecutorDirectory directory = new ExecutorDirectory(zookeeper)) {
            List<String> events = new CopyOnWriteArrayList<>();
            directory.addListener(new ExecutorDirectory.Listener() {
                @Override
                public void joined(ExecutorCard card) {
                    events.add("+" + card.id());
                }

                @Override
                public void left(ExecutorCard card) {
                    events.add("-" + card.id());
                }
            });
            directory.start();
            assertThat(directory.awaitInitialized(Duration.ofSeconds(10))).isTrue();

            String b = register(zookeeper, "b", "gpu");
            register(zookeeper, "a", "gpu");
            register(zookeeper, "c", "cpu");
            String bAgain = register(zookeeper, "b", "gpu");
            await().atMost(Duration.ofSeconds(5)).until(() -> directory.all().size() == 3);
            assertThat(directory.group("gpu")).extracting(ExecutorCard::id).containsExactly("b", "a");
            assertThat(directory.group("cpu")).extracting(ExecutorCard::id).containsExactly("c");

            zookeeper.delete().forPath(b);
            zookeeper.create().forPath("/executors/gpu/not-a-member", "x".getBytes());
            await().atMost(Duration.ofSeconds(5)).until(() -> directory.group("gpu").stream().map(ExecutorCard::id).toList()
                    .equals(List.of("a", "b")));
            assertThat(directory.isAlive("b")).as("b still has a member node").isTrue();

            zookeeper.delete().forPath(bAgain);
            await().atMost(Duration.ofSeconds(5)).until(() -> !directory.isAlive("b"));
            assertThat(events).containsExactlyInAnyOrder("+b", "+a", "+c", "-b");
        }
    }

    @Test
    void oneAdminLeadsAndAnotherTakesOverWhenItLeaves() throws Exception {
        AtomicInteger gainedA = new AtomicInteger();
        AtomicInteger gainedB = new AtomicInteger();
        CuratorFramework other = client();
        try (LeaderElection a = new LeaderElection(zookeeper, "admin-a", leadership(gainedA));
             LeaderElection b = new LeaderElection(other, "admin-b", leadership(gainedB))) {
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
            b.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.participants().size() == 2);
            assertThat(b.isLeader()).isFalse();
            assertThat(b.leaderId()).contains("admin-a");

            a.close();
            await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
            assertThat(gainedA).hasValue(1);
            assertThat(gainedB).hasValue(1);
        } finally {
            other.close();
        }
    }

    @Test
    void aLeaderWhoseSessionExpiresStopsLeading() throws Exception {
        AtomicInteger lost = new AtomicInteger();
        CuratorFramework client = client();
        try (LeaderElection a = new LeaderElection(client, "admin-a", new LeaderElection.Leadership() {
            @Override
            public void gained() {
            }

            @Override
            public void lost() {
                lost.incrementAndGet();
            }
        })) {
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
            client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
            await().atMost(Duration.ofSeconds(10)).until(() -> lost.get() >= 1);
        } finally {
            client.close();
        }
    }

    private static LeaderElection.Leadership leadership(AtomicInteger gained) {
        return new LeaderElection.Leadership() {
            @Override
            public void gained() {
                gained.incrementAndGet();
            }

            @Override
            public void lost() {
            }
        };
    }
}
