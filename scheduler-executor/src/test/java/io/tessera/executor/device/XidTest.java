package io.tessera.executor.device;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tessera.core.model.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tessera.executor.device.NvidiaSmiTest.recorded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NVIDIA driver's Xid reports: the parser on kernel-log lines recorded on real machines (sources
 * in the resources' README), and the monitor reading a stand-in kernel-log command and a stand-in
 * {@code nvidia-smi} (the external edge; this machine has no GPU, and its own kernel log is not the test's).
 */
class XidTest {

    @TempDir
    Path dir;

    private final List<Device> turnedBad = new CopyOnWriteArrayList<>();

    @Test
    void reportsAreFoundWhateverWroteTheLog() throws IOException {
        assertThat(NvidiaXidParser.parse(kernelLog("dmesg-ctime-xid13-109.txt")))
                .extracting(event -> event.busId() + " " + event.xid())
                .containsExactly("0000:cb:00 13", "0000:cb:00 13", "0000:cb:00 13", "0000:cb:00 109");
        assertThat(NvidiaXidParser.parse(kernelLog("journal-xid79-rtx5080.txt"))).singleElement()
                .isEqualTo(new NvidiaXidParser.XidEvent("0000:2b:00", 79, "GPU has fallen off the bus."));
        assertThat(NvidiaXidParser.parse(kernelLog("messages-xid119-gsp.txt"))).hasSize(3)
                .allSatisfy(event -> assertThat(event.xid()).isEqualTo(119))
                .first().satisfies(event -> assertThat(event.text()).startsWith("pid=4071838, name=python, Timeout after 45s"));
        assertThat(NvidiaXidParser.parse(kernelLog("messages-xid63-row-remapper.txt"))).singleElement()
                .satisfies(event -> assertThat(event.busId()).isEqualTo("0000:10:1c"));
        assertThat(NvidiaXidParser.parse(kernelLog("syslog-old-format-xid3.txt"))).as("older drivers write no 'PCI:'")
                .singleElement().isEqualTo(new NvidiaXidParser.XidEvent("0000:01:00", 3, "C 00000005 SC 00000007 M 00001ffc Data ffffffff"));
        assertThat(NvidiaXidParser.parse(kernelLog("journal-xid45-after-149.txt"))).as("the Xid is the one after the address")
                .hasSize(7).allSatisfy(event -> assertThat(event.xid()).isEqualTo(45));
        assertThat(NvidiaXidParser.parse(recorded("failed.txt"))).isEmpty();
    }

    @Test
    void onlyXidsOfABrokenGpuCount() {
        assertThat(List.of(48, 62, 63, 64, 74, 79, 92, 94, 95, 119, 120)).allMatch(NvidiaXidParser::fatal);
        assertThat(List.of(3, 13, 31, 43, 45, 109, 149)).noneMatch(NvidiaXidParser::fatal);
        assertThat(NvidiaXidParser.describe(79)).isEqualTo("Xid 79 in the kernel log (GPU has fallen off the bus)");
    }

    @Test
    void theKernelsAndNvidiaSmisSpellingsOfABusIdMeetInOne() throws IOException {
        assertThat(NvidiaXidParser.busId("00000000:2B:00.0")).isEqualTo("0000:2b:00").isEqualTo(NvidiaXidParser.busId("PCI:0000:2b:00"));
        assertThat(NvidiaXidParser.busId("not a bus")).isNull();
        assertThat(NvidiaSampler.parseBusIds(recorded("bus-ids-two-gpus.csv"))).isEqualTo(Map.of("0000:2b:00", 0, "0000:cb:00", 1));
    }

    @Test
    void aGpuFallenOffTheBusIsMarkedNamingTheXidAndApplicationFaultsLeaveTheOtherAlone() throws IOException {
        DeviceInventory inventory = twoGpus();
        nvidiaSmi("0, 0, No, No, No\n1, 0, No, No, No\n");
        log("dmesg-ctime-xid13-109.txt");
        DeviceHealthMonitor monitor = monitor(inventory, KernelLog.of(stubLog().toString(), Duration.ofSeconds(10)));

        monitor.check();
        assertThat(inventory.devices()).as("Xid 13 and 109 are the application's").allMatch(Device::healthy);

        log("dmesg-ctime-xid13-109.txt", "journal-xid79-rtx5080.txt");
        monitor.check();
        assertThat(inventory.devices().get(0).health()).isEqualTo("Xid 79 in the kernel log (GPU has fallen off the bus)");
        assertThat(inventory.devices().get(1).healthy()).isTrue();
        assertThat(turnedBad).singleElement().satisfies(d -> assertThat(d.index()).isZero());

        nvidiaSmi("0, 2, No, No, No\n1, 0, No, No, No\n");
        monitor.check();
        assertThat(inventory.devices().get(0).health())
                .isEqualTo("2 uncorrectable ECC error(s) since the driver loaded; Xid 79 in the kernel log (GPU has fallen off the bus)");

        nvidiaSmi("0, 0, No, No, No\n1, 0, No, No, No\n");
        log("dmesg-ctime-xid13-109.txt");
        monitor.check();
        assertThat(inventory.devices()).as("the report left the log (cleared, or a reboot)").allMatch(Device::healthy);
    }

    @Test
    void anXidOfAnotherMachinesBusIsIgnored() throws IOException {
        DeviceInventory inventory = twoGpus();
        nvidiaSmi("0, 0, No, No, No\n1, 0, No, No, No\n");
        log("messages-xid119-gsp.txt");
        monitor(inventory, KernelLog.of(stubLog().toString(), Duration.ofSeconds(10))).check();
        assertThat(inventory.devices()).allMatch(Device::healthy);
    }

    @Test
    void aKernelLogThatCannotBeReadIsSaidOnceAndHealthComesFromNvidiaSmiAlone() throws IOException {
        Path denied = dir.resolve("dmesg");
        Files.writeString(denied, "#!/bin/sh\necho 'dmesg: read kernel buffer failed: Operation not permitted'\nexit 1\n");
        Files.setPosixFilePermissions(denied, PosixFilePermissions.fromString("rwxr-xr-x"));
        DeviceInventory inventory = twoGpus();
        nvidiaSmi("0, 0, No, No, No\n1, 3, No, No, No\n");
        ListAppender<ILoggingEvent> logged = listen(KernelLog.class);
        try {
            DeviceHealthMonitor monitor = monitor(inventory, KernelLog.of(denied.toString(), Duration.ofSeconds(10)));
            monitor.check();
            monitor.check();
            monitor.check();
        } finally {
            ((Logger) LoggerFactory.getLogger(KernelLog.class)).detachAppender(logged);
        }
        assertThat(inventory.devices().get(1).health()).isEqualTo("3 uncorrectable ECC error(s) since the driver loaded");
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("Operation not permitted", "--xid-source", "CAP_SYSLOG");
        });
    }

    @Test
    void offReadsNothing() {
        assertThat(KernelLog.of("off", Duration.ofSeconds(1)).enabled()).isFalse();
        assertThat(KernelLog.of("journalctl -k -b", Duration.ofSeconds(1))).hasToString("journalctl -k -b");
    }

    @Test
    void migInstancesFollowTheGpuTheyAreCarvedFrom() throws IOException {
        List<Device> gpus = NvidiaSmiParser.parse(recorded("list-mixed-4x-a100.csv"));
        DeviceInventory inventory = new DeviceInventory(NvidiaSmiDetector.combine(gpus, Map.of(),
                NvidiaMigParser.parse(recorded("mig-mixed-4x-a100.txt"))));
        assertThat(inventory.devices()).hasSize(7);
        Files.writeString(dir.resolve("bus.csv"), "0, 00000000:2B:00.0\n1, 00000000:CB:00.0\n2, 00000000:10:1C.0\n3, 00000000:9B:00.0\n");
        nvidiaSmi("0, 2, No, No, No\n1, 0, No, No, No\n2, 0, No, No, No\n3, 0, No, No, No\n");
        Files.writeString(dir.resolve("migs.txt"), recorded("mig-mixed-4x-a100.txt"));
        log();
        DeviceHealthMonitor monitor = monitor(inventory, KernelLog.of(stubLog().toString(), Duration.ofSeconds(10)));

        monitor.check();
        List<Device> migs = inventory.devices().stream().filter(d -> d.uuid().startsWith("MIG-")).toList();
        assertThat(migs).hasSize(4).allSatisfy(mig -> {
            assertThat(mig.health()).isEqualTo("GPU 0 it is carved from: 2 uncorrectable ECC error(s) since the driver loaded");
            assertThat(mig.utilizationPercent()).isNull();
        });
        assertThat(inventory.devices()).filteredOn(d -> d.uuid().startsWith("GPU-")).hasSize(3).allMatch(Device::healthy);
        assertThat(turnedBad).hasSize(4);

        nvidiaSmi("0, 0, No, No, No\n1, 0, No, No, No\n2, 0, No, No, No\n3, 0, No, No, No\n");
        monitor.check();
        assertThat(inventory.devices()).allMatch(Device::healthy);

        log("journal-xid79-rtx5080.txt", "messages-xid119-gsp.txt");
        monitor.check();
        assertThat(inventory.devices()).filteredOn(d -> d.uuid().startsWith("MIG-")).allSatisfy(mig -> assertThat(mig.health())
                .isEqualTo("GPU 0 it is carved from: Xid 79 in the kernel log (GPU has fallen off the bus)"));
        assertThat(inventory.devices()).filteredOn(d -> d.index() == 3).singleElement()
                .satisfies(gpu -> assertThat(gpu.health()).isEqualTo("Xid 119 in the kernel log (GSP RPC timeout)"));
    }

    @Test
    void aMachineWhoseGpusAreAllSplitStillHasItsHealthRead() throws IOException {
        List<Device> gpus = NvidiaSmiParser.parse(recorded("list-mixed-4x-a100.csv")).subList(0, 1);
        DeviceInventory inventory = new DeviceInventory(NvidiaSmiDetector.combine(gpus, Map.of(),
                NvidiaMigParser.parse(recorded("mig-mixed-4x-a100.txt"))));
        nvidiaSmi("0, 0, No, No, No\n");
        DeviceHealthMonitor monitor = monitor(inventory, KernelLog.off(), Duration.ofMillis(100));
        monitor.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("tessera-device-health") && t.isAlive()));
        } finally {
            monitor.close();
        }
    }

    private DeviceInventory twoGpus() throws IOException {
        Files.writeString(dir.resolve("bus.csv"), recorded("bus-ids-two-gpus.csv"));
        return new DeviceInventory(List.of(
                new Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, 0, "GPU-aaaa"),
                new Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, 1, "GPU-bbbb")));
    }

    private DeviceHealthMonitor monitor(DeviceInventory inventory, KernelLog kernelLog) throws IOException {
        return monitor(inventory, kernelLog, Duration.ZERO);
    }

    private DeviceHealthMonitor monitor(DeviceInventory inventory, KernelLog kernelLog, Duration interval) throws IOException {
        Path tool = dir.resolve("nvidia-smi");
        Files.writeString(tool, "#!/bin/sh\nset -e\ncase \"$*\" in\n"
                + "  --query-gpu=index,ecc*) cat " + dir.resolve("health.csv") + " ;;\n"
                + "  --query-gpu=index,utilization*) exit 3 ;;\n"
                + "  '--query-gpu=index,pci.bus_id --format=csv,noheader') cat " + dir.resolve("bus.csv") + " ;;\n"
                + "  -L) cat " + dir.resolve("migs.txt") + " ;;\n"
                + "  *) echo \"unsupported: $*\"; exit 2 ;;\nesac\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new DeviceHealthMonitor(inventory, new NvidiaSampler(new NvidiaSmiDetector(tool.toString(), Duration.ofSeconds(10))),
                kernelLog, interval, new DeviceHealthMonitor.Listener() {
                    @Override
                    public boolean devicesChanged(List<Device> devices) {
                        return true;
                    }

                    @Override
                    public void turnedUnhealthy(Device device) {
                        turnedBad.add(device);
                    }
                });
    }

    /** A stand-in for {@code dmesg}: prints the kernel log the test wrote. */
    private Path stubLog() throws IOException {
        Path stub = dir.resolve("kernel-log");
        Files.writeString(stub, "#!/bin/sh\ncat " + dir.resolve("kernel.log") + "\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        return stub;
    }

    private void log(String... recordings) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String recording : recordings) {
            text.append(kernelLog(recording));
        }
        replace(dir.resolve("kernel.log"), text.toString());
    }

    private void nvidiaSmi(String health) throws IOException {
        replace(dir.resolve("health.csv"), health);
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static ListAppender<ILoggingEvent> listen(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
        return appender;
    }

    static String kernelLog(String name) throws IOException {
        try (InputStream in = XidTest.class.getResourceAsStream("/kernel-log/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
