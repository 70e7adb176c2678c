package io.tessera.executor.device;

import io.tessera.core.model.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tessera.executor.device.NvidiaSmiTest.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GPU health and use: the parsers, and the monitor against a stand-in {@code nvidia-smi} whose
 * answers the test changes (the external edge; this machine has no GPU).
 */
class HealthAndUseTest {

    @TempDir
    Path dir;

    private final List<List<Device>> published = new CopyOnWriteArrayList<>();
    private final List<Device> turnedBad = new CopyOnWriteArrayList<>();

    @Test
    void healthNamesUncorrectableErrorsAndPendingRepairs() throws IOException {
        assertThat(NvidiaHealthParser.parse(recorded("health-two-gpus-ok.csv"))).containsOnlyKeys(0, 1).containsValues((String) null);
        assertThat(NvidiaHealthParser.parse(recorded("health-gpu1-ecc.csv")).get(1))
                .isEqualTo("2 uncorrectable ECC error(s) since the driver loaded; row remapping pending (reset the GPU)");
        assertThat(NvidiaHealthParser.parse(recorded("health-no-ecc.csv"))).containsEntry(0, null);
        assertThat(NvidiaHealthParser.parse(recorded("failed.txt"))).isEmpty();
    }

    @Test
    void useIsKeptOnlyWhereMeasured() throws IOException {
        var use = NvidiaUsageParser.parse(recorded("use-two-gpus.csv"));
        assertThat(use.get(0)).isEqualTo(new NvidiaUsageParser.Usage(87, 40112L));
        assertThat(use.get(1)).isEqualTo(new NvidiaUsageParser.Usage(null, null));
    }

    @Test
    void aGpuWithEccErrorsIsMarkedTheChangeIsPublishedAndTheDeviceNamed() throws IOException {
        DeviceInventory inventory = twoGpus();
        state("health-two-gpus-ok.csv", "use-two-gpus.csv");
        DeviceHealthMonitor monitor = monitor(inventory, Duration.ZERO);

        monitor.check();
        assertThat(inventory.devices()).allMatch(Device::healthy);
        assertThat(inventory.devices().get(0).utilizationPercent()).isEqualTo(87);
        assertThat(inventory.devices().get(1).utilizationPercent()).isNull();
        assertThat(published).hasSize(1);
        assertThat(turnedBad).isEmpty();

        monitor.check();
        assertThat(published).as("nothing changed, nothing published").hasSize(1);

        state("health-gpu1-ecc.csv", "use-two-gpus.csv");
        monitor.check();
        assertThat(inventory.devices().get(1).health()).startsWith("2 uncorrectable ECC error(s)");
        assertThat(inventory.devices().get(0).healthy()).isTrue();
        assertThat(turnedBad).singleElement().satisfies(d -> assertThat(d.index()).isEqualTo(1));
        assertThat(published).hasSize(2);
        assertThat(published.get(1).get(1).healthy()).isFalse();

        state("health-two-gpus-ok.csv", "use-two-gpus.csv");
        monitor.check();
        assertThat(inventory.devices()).allMatch(Device::healthy);
        assertThat(turnedBad).hasSize(1);
    }

    @Test
    void aToolThatStopsAnsweringLeavesHealthAsItWasAndUseUnmeasured() throws IOException {
        DeviceInventory inventory = twoGpus();
        state("health-gpu1-ecc.csv", "use-two-gpus.csv");
        DeviceHealthMonitor monitor = monitor(inventory, Duration.ZERO);
        monitor.check();
        Files.delete(dir.resolve("health.csv"));
        Files.delete(dir.resolve("use.csv"));

        monitor.check();
        assertThat(inventory.devices().get(1).healthy()).isFalse();
        assertThat(inventory.devices()).allMatch(d -> d.utilizationPercent() == null && d.memoryUsedMb() == null);
    }

    @Test
    void theMonitorReadsOnItsOwnNamedThreadUntilClosed() throws IOException {
        DeviceInventory inventory = twoGpus();
        state("health-two-gpus-ok.csv", "use-two-gpus.csv");
        DeviceHealthMonitor monitor = monitor(inventory, Duration.ofMillis(100));
        monitor.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> threadAlive() && !published.isEmpty());

        state("health-gpu1-ecc.csv", "use-two-gpus.csv");
        await().atMost(Duration.ofSeconds(10)).until(() -> !turnedBad.isEmpty());

        monitor.close();
        monitor.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !threadAlive());
    }

    @Test
    void withoutDetectedNvidiaGpusOrWithAZeroIntervalNoThreadStarts() throws IOException {
        state("health-two-gpus-ok.csv", "use-two-gpus.csv");
        DeviceHealthMonitor declaredOnly = monitor(new DeviceInventory(List.of(new Device("GPU", "nvidia", "H100", 81559, 0, null))),
                Duration.ofMillis(100));
        declaredOnly.start();
        DeviceHealthMonitor off = monitor(twoGpus(), Duration.ZERO);
        off.start();
        assertThat(threadAlive()).isFalse();
        declaredOnly.close();
        off.close();
    }

    private static boolean threadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("tessera-device-health") && t.isAlive());
    }

    private DeviceInventory twoGpus() {
        return new DeviceInventory(List.of(
                new Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, 0, "GPU-aaaa"),
                new Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, 1, "GPU-bbbb")));
    }

    private DeviceHealthMonitor monitor(DeviceInventory inventory, Duration interval) throws IOException {
        Path tool = dir.resolve("nvidia-smi");
        Files.writeString(tool, "#!/bin/sh\nset -e\ncase \"$*\" in\n"
                + "  --query-gpu=index,ecc*) cat " + dir.resolve("health.csv") + " ;;\n"
                + "  --query-gpu=index,utilization*) cat " + dir.resolve("use.csv") + " ;;\n"
                + "  *) echo \"unsupported: $*\"; exit 2 ;;\nesac\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new DeviceHealthMonitor(inventory, new NvidiaSampler(new NvidiaSmiDetector(tool.toString(), Duration.ofSeconds(10))),
                interval, new DeviceHealthMonitor.Listener() {
                    @Override
                    public boolean devicesChanged(List<Device> devices) {
                        published.add(devices);
                        return true;
                    }

                    @Override
                    public void turnedUnhealthy(Device device) {
                        turnedBad.add(device);
                    }
                });
    }

    private void state(String health, String use) throws IOException {
        Files.writeString(dir.resolve("health.csv.tmp"), recorded(health));
        Files.move(dir.resolve("health.csv.tmp"), dir.resolve("health.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve("use.csv"), recorded(use));
    }
}
