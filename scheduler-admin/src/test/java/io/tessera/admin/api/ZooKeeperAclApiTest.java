package io.tessera.admin.api;

import io.tessera.core.zk.ZkAccess;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin and its agent authenticate to ZooKeeper with the cluster's digest and work end to end,
 * while a client without those credentials (or with another cluster's) can neither read nor create,
 * delete or set anything under the namespace: no forged results, executors or admins, no deleted latch.
 */
class ZooKeeperAclApiTest extends ApiTestBase {

    private static final String ROOT = "/" + ZkLayout.DEFAULT_NAMESPACE;

    @Autowired
    CuratorFramework curator;

    @Test
    void theAdminAndItsAgentRunAJobWhileStrangersAreRefusedEverything() throws Exception {
        long job = echoJob(unique("acl"));
        ApiClient.Reply triggered = api.post("/api/v1/jobs/" + job + "/trigger", ADMIN_TOKEN, null);
        assertThat(triggered.status()).as(triggered.toString()).isEqualTo(202);
        long runId = triggered.json().get("runId").asLong();
        awaitRun(runId, "SUCCEEDED", Duration.ofSeconds(15));

        String attempt = ROOT + ZkLayout.attempt(runId, 0, 1);
        String member = ROOT + agent.memberPath();
        String admins = ROOT + ZkLayout.ADMIN_MEMBERS;
        String leader = ROOT + ZkLayout.LEADER;
        String latch = leader + "/" + curator.getChildren().forPath(ZkLayout.LEADER).get(0);
        assertThat(curator.checkExists().forPath(ZkLayout.attempt(runId, 0, 1))).as("the finished attempt's node").isNotNull();

        for (CuratorFramework stranger : List.of(client(CuratorFrameworkFactory.builder()),
                client(ZkAccess.fromSecret("another-cluster-secret-0123456789").apply(CuratorFrameworkFactory.builder())))) {
            try (stranger) {
                byte[] forged = "{\"status\":\"SUCCEEDED\"}".getBytes(StandardCharsets.UTF_8);
                assertNoAuth(() -> stranger.setData().forPath(attempt, forged));
                assertNoAuth(() -> stranger.delete().forPath(attempt));
                assertNoAuth(() -> stranger.create().forPath(ROOT + ZkLayout.attempt(runId, 1, 1), forged));
                assertNoAuth(() -> stranger.create().forPath(ROOT + ZkLayout.group(GROUP) + "/member-", forged));
                assertNoAuth(() -> stranger.create().forPath(admins + "/fake-admin", forged));
                assertNoAuth(() -> stranger.delete().forPath(latch));
                assertNoAuth(() -> stranger.delete().forPath(member));
                assertNoAuth(() -> stranger.getData().forPath(member));
                assertNoAuth(() -> stranger.create().forPath(ROOT + "/anything"));
                assertNoAuth(() -> stranger.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(ROOT));
            }
        }

        assertThat(curator.getACL().forPath("/")).isEqualTo(ZkAccess.fromSecret(SECRET).acl());
        assertThat(curator.getACL().forPath(ZkLayout.attempt(runId, 0, 1))).isEqualTo(ZkAccess.fromSecret(SECRET).acl());
        // Still usable after the strangers tried.
        long again = echoJob(unique("acl-after"));
        ApiClient.Reply second = api.post("/api/v1/jobs/" + again + "/trigger", ADMIN_TOKEN, null);
        awaitRun(second.json().get("runId").asLong(), "SUCCEEDED", Duration.ofSeconds(15));
    }

    private CuratorFramework client(CuratorFrameworkFactory.Builder builder) throws InterruptedException {
        CuratorFramework client = builder.connectString(zookeeper.connectString()).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        client.blockUntilConnected();
        return client;
    }

    private static void assertNoAuth(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(KeeperException.NoAuthException.class);
    }
}
