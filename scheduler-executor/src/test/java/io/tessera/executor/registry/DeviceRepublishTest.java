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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent whose GPUs' health and use change re-publishes its card in its member node, and keeps
 * publishing the changed card after its node is re-created. {@code nvidia-smi} is a stand-in script
 * (the one external edge; this machine has no GPU).
 */
class DeviceRepublishTest {

    @RegisterExtension
    static final SharedZooKeeper zooKeeper = new SharedZooKeeper();

    @Test
    void healthAndUseChangesReachZooKeeperAndSurviveASessionExpiry(@TempDir Path dir) throws Exception {
        Path health = dir.resolve("health.csv");
        write(health, "0, 0, No, No, No\n1, 0, No, No, No\n");
        Path tool = dir.resolve("nvidia-smi");
        Files.writeString(tool, "#!/bin/sh\ncase \"$*\" in\n"
                + "  --query-gpu=index,uuid*) printf '0, GPU-aaaa, NVIDIA H100 80GB HBM3, 81559\\n1, GPU-bbbb, NVIDIA H100 80GB HBM3, 81559\\n' ;;\n"
                + "  --query-gpu=index,ecc*) cat " + health + " ;;\n"
                + "  --query-gpu=index,utilization*) printf '0, 40, 1000\\n1, 60, 2000\\n' ;;\n"
                + "  *) exit 2 ;;\nesac\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (TesseraAgent agent = TesseraAgent.start(Agents.config(zooKeeper.server(), dir.resolve("agent")).group("health")
                .detectDevices(true).nvidiaSmi(tool.toString()).healthInterval(Duration.ofMillis(200)).build(), new RecordingReporter())) {
            await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(published().devices())
                    .extracting(Device::utilizationPercent).containsExactly(40, 60));

            write(health, "0, 0, No, No, No\n1, 3, No, No, No\n");
            await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(published().devices().get(1).health())
                    .isEqualTo("3 uncorrectable ECC error(s) since the driver loaded"));
            assertThat(agent.card().devices().get(1).healthy()).isFalse();

            agent.curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
            await().atMost(Agents.PATIENCE).untilAsserted(() -> {
                assertThat(zooKeeper.observer().checkExists().forPath(memberPath()).getEphemeralOwner())
                        .isEqualTo(agent.curator().getZookeeperClient().getZooKeeper().getSessionId());
                assertThat(published().devices().get(1).healthy()).isFalse();
            });
        }
        await().atMost(Agents.PATIENCE).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("tessera-device-health") && t.isAlive()));
    }

    private static ExecutorCard published() throws Exception {
        return WireCodec.decode(zooKeeper.observer().getData().forPath(memberPath()), ExecutorCard.class);
    }

    private static String memberPath() throws Exception {
        List<String> members = zooKeeper.observer().getChildren().forPath(ZkLayout.group("health"));
        assertThat(members).hasSize(1);
        return ZkLayout.group("health") + "/" + members.get(0);
    }

    private static void write(Path file, String text) throws java.io.IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
