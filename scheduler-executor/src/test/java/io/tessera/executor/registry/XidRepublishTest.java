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

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent started with {@code --xid-source} reads the kernel log at each health reading: a GPU the
 * driver reports fallen off the bus turns unhealthy in the card in ZooKeeper, naming the Xid; an
 * application's Xid changes nothing. {@code nvidia-smi} and the kernel-log command are stand-in
 * scripts (the external edge; this machine has no GPU), the kernel log lines recorded ones.
 */
class XidRepublishTest {

    @RegisterExtension
    static final SharedZooKeeper zooKeeper = new SharedZooKeeper();

    @Test
    void aGpuFallenOffTheBusIsPublishedUnhealthyNamingTheXid(@TempDir Path dir) throws Exception {
        Path tool = dir.resolve("nvidia-smi");
        Files.writeString(tool, "#!/bin/sh\ncase \"$*\" in\n"
                + "  --query-gpu=index,uuid*) printf '0, GPU-aaaa, NVIDIA H100 80GB HBM3, 81559\\n1, GPU-bbbb, NVIDIA H100 80GB HBM3, 81559\\n' ;;\n"
                + "  --query-gpu=index,ecc*) printf '0, 0, No, No, No\\n1, 0, No, No, No\\n' ;;\n"
                + "  --query-gpu=index,utilization*) printf '0, 40, 1000\\n1, 60, 2000\\n' ;;\n"
                + "  --query-gpu=index,pci.bus_id*) printf '0, 00000000:2B:00.0\\n1, 00000000:CB:00.0\\n' ;;\n"
                + "  *) exit 2 ;;\nesac\n");
        Path kernelLog = dir.resolve("kernel.log");
        write(kernelLog, recorded("dmesg-ctime-xid13-109.txt"));
        Path dmesg = dir.resolve("dmesg");
        Files.writeString(dmesg, "#!/bin/sh\ncat " + kernelLog + "\n");
        for (Path script : List.of(tool, dmesg)) {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        try (TesseraAgent agent = TesseraAgent.start(Agents.config(zooKeeper.server(), dir.resolve("agent")).group("xid")
                .detectDevices(true).nvidiaSmi(tool.toString()).xidSource(dmesg.toString()).healthInterval(Duration.ofMillis(200))
                .build(), new RecordingReporter())) {
            await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(published().devices())
                    .extracting(Device::utilizationPercent).containsExactly(40, 60));
            assertThat(published().devices()).as("Xid 13 and 109 are the application's, not the GPU's").allMatch(Device::healthy);

            write(kernelLog, recorded("dmesg-ctime-xid13-109.txt") + recorded("journal-xid79-rtx5080.txt"));
            await().atMost(Agents.PATIENCE).untilAsserted(() -> assertThat(published().devices().get(0).health())
                    .isEqualTo("Xid 79 in the kernel log (GPU has fallen off the bus)"));
            assertThat(published().devices().get(1).healthy()).isTrue();
            assertThat(agent.card().devices().get(0).healthy()).isFalse();
        }
    }

    private static ExecutorCard published() throws Exception {
        List<String> members = zooKeeper.observer().getChildren().forPath(ZkLayout.group("xid"));
        assertThat(members).hasSize(1);
        return WireCodec.decode(zooKeeper.observer().getData().forPath(ZkLayout.group("xid") + "/" + members.get(0)), ExecutorCard.class);
    }

    private static String recorded(String name) throws IOException {
        try (InputStream in = XidRepublishTest.class.getResourceAsStream("/kernel-log/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
