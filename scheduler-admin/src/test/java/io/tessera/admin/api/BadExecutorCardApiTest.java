package io.tessera.admin.api;

import io.tessera.admin.store.Role;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An executor card whose address no HTTP client can call, whose id is not one, or that lies under another
 * group than it names is left out; the API and the engine go on.
 */
class BadExecutorCardApiTest extends ApiTestBase {

    @Autowired
    CuratorFramework curator;

    @Test
    void executorsAnswers200AndRunsGoToTheGoodExecutorsWhileABadCardIsRegistered() throws Exception {
        List<String> nodes = new java.util.ArrayList<>();
        try {
            for (String address : List.of("my_gpu_box:9999", "gpu box:9999", "fd00::5:9999")) {
                ExecutorCard bad = new ExecutorCard(unique("bad"), GROUP, address, List.of(), 8, Map.of(), "test");
                nodes.add(curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                        .forPath(ZkLayout.memberPrefix(GROUP), WireCodec.encode(bad)));
            }
            // A good address, but an id with a space, or a card that names another group than the node it lies under.
            for (ExecutorCard bad : List.of(
                    new ExecutorCard("spaced id-" + unique("x"), GROUP, "127.0.0.1:9", List.of(), 8, Map.of(), "test"),
                    new ExecutorCard(unique("elsewhere"), "other-group", "127.0.0.1:9", List.of(), 8, Map.of(), "test"))) {
                nodes.add(curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                        .forPath(ZkLayout.memberPrefix(GROUP), WireCodec.encode(bad)));
            }

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                ApiClient.Reply executors = api.get("/api/v1/executors", token(Role.VIEWER));
                assertThat(executors.status()).as(executors.toString()).isEqualTo(200);
                assertThat(executors.body()).contains(agent.executorId())
                        .doesNotContain("my_gpu_box", "gpu box", "fd00::5", "spaced id", "elsewhere");
            });

            long job = createJob("{\"name\":\"" + unique("past-bad-card") + "\",\"group\":\"" + GROUP
                    + "\",\"handler\":\"echo\",\"shards\":6}");
            ApiClient.Reply triggered = api.post("/api/v1/jobs/" + job + "/trigger", ADMIN_TOKEN, null);
            assertThat(triggered.status()).as(triggered.toString()).isEqualTo(202);
            awaitRun(triggered.json().get("runId").asLong(), "SUCCEEDED", Duration.ofSeconds(15));
        } finally {
            for (String node : nodes) {
                curator.delete().forPath(node);
            }
        }
    }
}
