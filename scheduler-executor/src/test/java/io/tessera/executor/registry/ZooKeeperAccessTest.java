package io.tessera.executor.registry;

import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.OpenNodes;
import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the agent makes in ZooKeeper only the cluster's credentials can read or change: a client
 * without them, or with another cluster's, is refused everything under the namespace.
 */
class ZooKeeperAccessTest {

    private static final String NAMESPACE = "/" + ZkLayout.DEFAULT_NAMESPACE;

    private TestingServer zk;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = new TestingServer();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        zk.close();
    }

    @Test
    void anUnauthenticatedClientCanNeitherCreateDeleteSetNorReadUnderTheNamespace(@TempDir Path dir) throws Exception {
        TesseraAgent agent = agent(Agents.config(zk, dir).group("gpu"));
        CuratorFramework stranger = client(CuratorFrameworkFactory.builder());

        assertRefusedEverything(stranger, agent);
        assertThat(card(agent.memberPath())).as("the agent's card is untouched").isEqualTo(agent.card());
    }

    @Test
    void aClientWithAnotherClustersDigestIsRefusedToo(@TempDir Path dir) throws Exception {
        TesseraAgent agent = agent(Agents.config(zk, dir).group("gpu"));
        CuratorFramework other = client(ZkAccess.fromSecret("another-cluster-secret-0123456789")
                .apply(CuratorFrameworkFactory.builder()));

        assertRefusedEverything(other, agent);
        assertThat(card(agent.memberPath())).isEqualTo(agent.card());
    }

    @Test
    void nodesTheAgentMakesCarryOnlyTheClustersDigest(@TempDir Path dir) throws Exception {
        TesseraAgent agent = agent(Agents.config(zk, dir).group("gpu"));
        CuratorFramework observer = observer(ZkAccess.fromSecret(Agents.SECRET));

        List<org.apache.zookeeper.data.ACL> expected = ZkAccess.fromSecret(Agents.SECRET).acl();
        for (String path : List.of("/", ZkLayout.EXECUTORS, ZkLayout.group("gpu"), agent.memberPath())) {
            assertThat(observer.getACL().forPath(path)).as(path).isEqualTo(expected);
        }
        assertThat(expected).singleElement().satisfies(acl -> {
            assertThat(acl.getId().getScheme()).isEqualTo("digest");
            assertThat(acl.getId().getId()).startsWith(ZkAccess.DEFAULT_USER + ":")
                    .doesNotContain(Agents.SECRET);
            assertThat(acl.getPerms()).isEqualTo(ZooDefs.Perms.ALL);
        });
    }

    @Test
    void explicitCredentialsReplaceTheDerivedOnes(@TempDir Path dir) throws Exception {
        String credentials = "ops:explicit-zookeeper-password-0123";
        TesseraAgent agent = agent(Agents.config(zk, dir).group("gpu").zookeeperAuth(credentials));

        CuratorFramework derived = client(ZkAccess.fromSecret(Agents.SECRET).apply(CuratorFrameworkFactory.builder()));
        assertThatThrownBy(() -> derived.getData().forPath(NAMESPACE + agent.memberPath()))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThat(WireCodec.decode(observer(ZkAccess.parse("test", credentials)).getData().forPath(agent.memberPath()),
                ExecutorCard.class)).isEqualTo(agent.card());
    }

    @Test
    void anAgentWithOtherCredentialsStopsAtStartSayingWhatToCheck(@TempDir Path dir) throws Exception {
        agent(Agents.config(zk, dir.resolve("a")).group("gpu"));

        assertThatThrownBy(() -> agent(Agents.config(zk, dir.resolve("b")).group("gpu")
                .secret("another-cluster-secret-0123456789")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refuses this agent's credentials")
                .hasMessageContaining("cluster secret")
                .hasMessageContaining("tessera.zookeeper.auth");
    }

    @Test
    void nodesMadeBeforeAclsAreSecuredOnceAndThenLeftAlone() throws Exception {
        CuratorFramework legacy = client(CuratorFrameworkFactory.builder().namespace("legacy"));
        legacy.create().creatingParentsIfNeeded().forPath("/runs/0/42/0-1", "done".getBytes(StandardCharsets.UTF_8));
        legacy.create().creatingParentsIfNeeded().forPath("/signals/runs");
        ZkAccess access = ZkAccess.fromSecret(Agents.SECRET);
        CuratorFramework admin = client(access.apply(CuratorFrameworkFactory.builder()).namespace("legacy"));

        CuratorFramework fresh = client(access.apply(CuratorFrameworkFactory.builder()).namespace("fresh"));
        assertThat(OpenNodes.secure(fresh, access)).as("no namespace yet").isZero();

        assertThat(OpenNodes.secure(admin, access)).as("/, runs, 0, 42, 0-1, signals, runs").isEqualTo(7);
        assertThat(OpenNodes.secure(admin, access)).as("already secured").isZero();

        assertThatThrownBy(() -> legacy.setData().forPath("/runs/0/42/0-1", "forged".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> legacy.create().forPath("/runs/0/42/1-1"))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThat(new String(admin.getData().forPath("/runs/0/42/0-1"), StandardCharsets.UTF_8)).isEqualTo("done");
    }

    /** What an admin started with other credentials meets: it stops at start (ZooKeeperConfiguration says why). */
    @Test
    void nodesOfOtherCredentialsAreNotTakenOver(@TempDir Path dir) throws Exception {
        agent(Agents.config(zk, dir).group("gpu"));
        ZkAccess other = ZkAccess.fromSecret("another-cluster-secret-0123456789");

        assertNoAuth(() -> OpenNodes.secure(observer(other), other));
    }

    private void assertRefusedEverything(CuratorFramework client, TesseraAgent agent) {
        String member = NAMESPACE + agent.memberPath();
        String group = NAMESPACE + ZkLayout.group("gpu");
        assertNoAuth(() -> client.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(group + "/member-",
                WireCodec.encode(new ExecutorCard("fake", "gpu", "10.0.0.66:9999", List.of(), 8, null, "x"))));
        assertNoAuth(() -> client.create().forPath(NAMESPACE + "/forged"));
        assertNoAuth(() -> client.create().creatingParentsIfNeeded().forPath(NAMESPACE + ZkLayout.attempt(1, 0, 1)));
        assertNoAuth(() -> client.setData().forPath(member, "forged".getBytes(StandardCharsets.UTF_8)));
        assertNoAuth(() -> client.delete().forPath(member));
        assertNoAuth(() -> client.getData().forPath(member));
        assertNoAuth(() -> client.getChildren().forPath(group));
        assertNoAuth(() -> client.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(NAMESPACE));
    }

    private static void assertNoAuth(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(KeeperException.NoAuthException.class);
    }

    private ExecutorCard card(String memberPath) throws Exception {
        return WireCodec.decode(observer(ZkAccess.fromSecret(Agents.SECRET)).getData().forPath(memberPath),
                ExecutorCard.class);
    }

    private TesseraAgent agent(io.tessera.executor.config.AgentConfig.Builder config) throws Exception {
        TesseraAgent agent = TesseraAgent.start(config.build(), new RecordingReporter());
        open.add(agent);
        return agent;
    }

    private CuratorFramework observer(ZkAccess access) throws InterruptedException {
        return client(access.apply(CuratorFrameworkFactory.builder()).namespace(ZkLayout.DEFAULT_NAMESPACE));
    }

    private CuratorFramework client(CuratorFrameworkFactory.Builder builder) throws InterruptedException {
        CuratorFramework client = builder.connectString(zk.getConnectString()).retryPolicy(new RetryOneTime(100)).build();
        open.add(client);
        client.start();
        client.blockUntilConnected();
        return client;
    }
}
