package io.tessera.executor.registry;

import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RegistrationTest {

    private static TestingServer zk;
    private static CuratorFramework observer;

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

    @Test
    void registersItsCardAndVanishesOnClose(@TempDir Path dir) throws Exception {
        TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).group("gpu-east")
                .accelerator("GPU:nvidia:H100:81559:2").slots(3).label("zone", "a").version("1.2.3").build(),
                new RecordingReporter());
        try {
            List<String> members = observer.getChildren().forPath(ZkLayout.group("gpu-east"));
            assertThat(members).hasSize(1);
            assertThat(members.get(0)).startsWith(ZkLayout.MEMBER_PREFIX);
            ExecutorCard card = WireCodec.decode(observer.getData().forPath(ZkLayout.group("gpu-east") + "/" + members.get(0)),
                    ExecutorCard.class);
            assertThat(card).isEqualTo(agent.card());
            assertThat(card.address()).isEqualTo("127.0.0.1:" + agent.port());
            assertThat(agent.port()).isPositive();
            assertThat(card.slots()).isEqualTo(3);
            assertThat(card.labels()).containsEntry("zone", "a");
            assertThat(card.version()).isEqualTo("1.2.3");
            assertThat(card.devices()).containsExactly(
                    new Device("GPU", "nvidia", "H100", 81559, 0, null),
                    new Device("GPU", "nvidia", "H100", 81559, 1, null));
            assertThat(observer.checkExists().forPath(ZkLayout.group("gpu-east") + "/" + members.get(0)).getEphemeralOwner())
                    .isEqualTo(agent.curator().getZookeeperClient().getZooKeeper().getSessionId());
        } finally {
            agent.close();
        }
        assertThat(observer.getChildren().forPath(ZkLayout.group("gpu-east"))).isEmpty();
        agent.close(); // idempotent
    }

    @Test
    void registersAgainAfterSessionExpiry(@TempDir Path dir) throws Exception {
        try (TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).group("expiring").build(), new RecordingReporter())) {
            long sessionBefore = agent.curator().getZookeeperClient().getZooKeeper().getSessionId();
            agent.curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

            await().atMost(Agents.PATIENCE).untilAsserted(() -> {
                List<String> members = observer.getChildren().forPath(ZkLayout.group("expiring"));
                assertThat(members).hasSize(1);
                String path = ZkLayout.group("expiring") + "/" + members.get(0);
                // The sequence may start over (the group's container node can go when empty): the owner tells.
                assertThat(observer.checkExists().forPath(path).getEphemeralOwner()).isNotEqualTo(sessionBefore)
                        .isEqualTo(agent.curator().getZookeeperClient().getZooKeeper().getSessionId());
                assertThat(WireCodec.decode(observer.getData().forPath(path), ExecutorCard.class)).isEqualTo(agent.card());
            });
        }
    }

    @Test
    void aCpuOnlyAgentRegistersNoDevices(@TempDir Path dir) throws Exception {
        try (TesseraAgent agent = TesseraAgent.start(Agents.config(zk, dir).group("cpu").build(), new RecordingReporter())) {
            assertThat(agent.card().devices()).isEmpty();
        }
    }
}
