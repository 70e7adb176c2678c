package io.tessera.executor.registry;

import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.zk.ZkLayout;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.support.Agents;
import io.tessera.executor.support.RecordingReporter;
import io.tessera.executor.support.SharedZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RegistrationTest {

    @RegisterExtension
    static final SharedZooKeeper zooKeeper = new SharedZooKeeper();

    @Test
    void registersItsCardAndVanishesOnClose(@TempDir Path dir) throws Exception {
        TesseraAgent agent = TesseraAgent.start(Agents.config(zooKeeper.server(), dir).group("gpu-east")
                .accelerator("GPU:nvidia:H100:81559:2").slots(3).label("zone", "a").version("1.2.3").build(),
                new RecordingReporter());
        try {
            List<String> members = zooKeeper.observer().getChildren().forPath(ZkLayout.group("gpu-east"));
            assertThat(members).hasSize(1);
            assertThat(members.get(0)).startsWith(ZkLayout.MEMBER_PREFIX);
            ExecutorCard card = WireCodec.decode(zooKeeper.observer().getData().forPath(ZkLayout.group("gpu-east") + "/" + members.get(0)),
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
            assertThat(zooKeeper.observer().checkExists().forPath(ZkLayout.group("gpu-east") + "/" + members.get(0)).getEphemeralOwner())
                    .isEqualTo(agent.curator().getZookeeperClient().getZooKeeper().getSessionId());
        } finally {
            agent.close();
        }
        assertThat(zooKeeper.observer().getChildren().forPath(ZkLayout.group("gpu-east"))).isEmpty();
        agent.close(); // idempotent
    }

    @Test
    void registersAgainAfterSessionExpiry(@TempDir Path dir) throws Exception {
        try (TesseraAgent agent = TesseraAgent.start(Agents.config(zooKeeper.server(), dir).group("expiring").build(), new RecordingReporter())) {
            long sessionBefore = agent.curator().getZookeeperClient().getZooKeeper().getSessionId();
            agent.curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

            await().atMost(Agents.PATIENCE).untilAsserted(() -> {
                List<String> members = zooKeeper.observer().getChildren().forPath(ZkLayout.group("expiring"));
                assertThat(members).hasSize(1);
                String path = ZkLayout.group("expiring") + "/" + members.get(0);
                // The sequence may start over (the group's container node can go when empty): the owner tells.
                assertThat(zooKeeper.observer().checkExists().forPath(path).getEphemeralOwner()).isNotEqualTo(sessionBefore)
                        .isEqualTo(agent.curator().getZookeeperClient().getZooKeeper().getSessionId());
                assertThat(WireCodec.decode(zooKeeper.observer().getData().forPath(path), ExecutorCard.class)).isEqualTo(agent.card());
            });
        }
    }

    @Test
    void aCpuOnlyAgentRegistersNoDevices(@TempDir Path dir) throws Exception {
        try (TesseraAgent agent = TesseraAgent.start(Agents.config(zooKeeper.server(), dir).group("cpu").build(), new RecordingReporter())) {
            assertThat(agent.card().devices()).isEmpty();
        }
    }
}
