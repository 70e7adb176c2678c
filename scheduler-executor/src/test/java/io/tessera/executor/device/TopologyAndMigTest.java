package io.tessera.executor.device;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.placement.DeviceChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.tessera.executor.device.NvidiaSmiTest.recorded;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code nvidia-smi topo -m} and {@code nvidia-smi -L} on outputs recorded on real machines (sources in the resources' README). */
class TopologyAndMigTest {

    @TempDir
    Path dir;

    @Test
    void aDgxA100IsAllNvLinkAcrossTwoNumaNodes() throws IOException {
        Map<Integer, NvidiaTopologyParser.GpuTopology> topology = NvidiaTopologyParser.parse(recorded("topo-dgx-a100.txt"));
        // The recording holds the rows of GPU0 to GPU3 (the source was cut there); their columns reach all eight.
        assertThat(topology).containsOnlyKeys(0, 1, 2, 3);
        assertThat(topology.get(0).links()).hasSize(7).containsEntry(7, "NV12").doesNotContainKey(0);
        assertThat(topology.get(0).numaNode()).isEqualTo(3);
        assertThat(topology.get(2).numaNode()).isEqualTo(1);
    }

    @Test
    void aPcieBoxHasHostBridgePairsAndOneGpuOnTheOtherSocket() throws IOException {
        Map<Integer, NvidiaTopologyParser.GpuTopology> topology = NvidiaTopologyParser.parse(recorded("topo-pcie-5gpu.txt"));
        assertThat(topology).hasSize(5);
        assertThat(topology.get(1).links()).containsExactlyInAnyOrderEntriesOf(Map.of(0, "SYS", 2, "PHB", 3, "NODE", 4, "NODE"));
        assertThat(topology.get(0).numaNode()).isEqualTo(1);
        assertThat(topology.get(4).numaNode()).isEqualTo(0);

        List<Device> devices = withTopology(5, topology);
        assertThat(DeviceChoice.best(devices, 2)).extracting(Device::index).containsExactly(1, 2);
        assertThat(DeviceChoice.best(devices, 4)).extracting(Device::index).containsExactly(1, 2, 3, 4);
    }

    @Test
    void tabSeparatedOutputWithNicRowsKeepsTheGpusOnTheirNumaNodes() throws IOException {
        Map<Integer, NvidiaTopologyParser.GpuTopology> topology = NvidiaTopologyParser.parse(recorded("topo-pcie-8gpu-tabs.txt"));
        assertThat(topology).hasSize(8);
        assertThat(topology.get(6).links()).hasSize(7).containsEntry(0, "SYS");
        assertThat(topology.get(5).numaNode()).isEqualTo(1);
        List<Device> free = withTopology(8, topology).stream().filter(d -> d.index() != 0).toList();
        assertThat(DeviceChoice.best(free, 4)).extracting(Device::index).containsExactly(4, 5, 6, 7);
    }

    @Test
    void outputsWithoutAMatrixGiveNoTopology() throws IOException {
        assertThat(NvidiaTopologyParser.parse(recorded("failed.txt"))).isEmpty();
        assertThat(NvidiaTopologyParser.parse("")).isEmpty();
    }

    @Test
    void migInstancesAreListedUnderTheirGpu() throws IOException {
        Map<Integer, List<NvidiaMigParser.MigInstance>> seven = NvidiaMigParser.parse(recorded("mig-a100-7x1g.txt"));
        assertThat(seven.get(0)).hasSize(7).allSatisfy(mig -> assertThat(mig.profile()).isEqualTo("1g.10gb"));
        assertThat(seven.get(0).get(6).uuid()).isEqualTo("MIG-1aae4990-b962-574e-8375-119d6d9b9687");
        assertThat(seven.get(0).get(0).nominalMemoryMb()).isEqualTo(10_240);

        Map<Integer, List<NvidiaMigParser.MigInstance>> mixed = NvidiaMigParser.parse(recorded("mig-mixed-4x-a100.txt"));
        assertThat(mixed).containsOnlyKeys(0);
        assertThat(mixed.get(0)).extracting(NvidiaMigParser.MigInstance::profile).containsOnly("1g.20gb").hasSize(4);
    }

    @Test
    void aGpuInMigModeBecomesItsInstancesWhichAMigRequirementMatchesAndCudaSeesByUuid() throws IOException {
        Path tool = fakeNvidiaSmi("list-mixed-4x-a100.csv", "mig-mixed-4x-a100.txt");
        List<Device> devices = new NvidiaSmiDetector(tool.toString(), Duration.ofSeconds(10)).detect();

        assertThat(devices).extracting(Device::index).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(devices).filteredOn(d -> d.model().equals("1g.20gb")).hasSize(4)
                .allSatisfy(d -> assertThat(d.uuid()).startsWith("MIG-"))
                .allSatisfy(d -> assertThat(d.memoryMb()).isEqualTo(20_480));
        AcceleratorRequirement slice = AcceleratorRequirement.parse("GPU:1:1g.20gb");
        assertThat(devices).filteredOn(slice::accepts).extracting(Device::index).containsExactly(4, 5, 6, 7);
        assertThat(devices).filteredOn(AcceleratorRequirement.parse("GPU:1:A100")::accepts).extracting(Device::index)
                .containsExactly(1, 2, 3);

        DeviceVisibility visibility = new DeviceVisibility(new DeviceInventory(devices));
        assertThat(visibility.variables(List.of(new DeviceId("GPU", 5))))
                .containsEntry("CUDA_VISIBLE_DEVICES", "MIG-a45882f0-9215-5733-a0c1-49286ab31cb5");
        assertThat(visibility.variables(List.of(new DeviceId("GPU", 2), new DeviceId("GPU", 3))))
                .containsEntry("CUDA_VISIBLE_DEVICES", "2,3");
        assertThat(visibility.variables(List.of())).containsEntry("CUDA_VISIBLE_DEVICES", "");
    }

    @Test
    void theShardLogNamesTheChosenDevicesAndTheirWeakestLink() throws IOException {
        List<Device> devices = withTopology(5, NvidiaTopologyParser.parse(recorded("topo-pcie-5gpu.txt")));
        String text = new DeviceVisibility(new DeviceInventory(devices)).describe(List.of(new DeviceId("GPU", 1), new DeviceId("GPU", 2)));
        assertThat(text).contains("GPU:1", "GPU:2", "weakest link between them PHB", "NUMA node(s) 0");
    }

    private Path fakeNvidiaSmi(String listing, String migListing) throws IOException {
        Files.writeString(dir.resolve("list.csv"), recorded(listing));
        Files.writeString(dir.resolve("L.txt"), recorded(migListing));
        Path tool = dir.resolve("nvidia-smi");
        Files.writeString(tool, "#!/bin/sh\ncase \"$*\" in\n"
                + "  --query-gpu=index,uuid*) cat " + dir.resolve("list.csv") + " ;;\n"
                + "  -L) cat " + dir.resolve("L.txt") + " ;;\n"
                + "  *) echo \"unsupported: $*\"; exit 2 ;;\nesac\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tool;
    }

    private static List<Device> withTopology(int count, Map<Integer, NvidiaTopologyParser.GpuTopology> topology) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> {
                    Device gpu = new Device("GPU", "nvidia", "GPU", 24564, i, "GPU-" + i);
                    NvidiaTopologyParser.GpuTopology place = topology.get(i);
                    return place == null ? gpu : gpu.withTopology(place.numaNode(), place.links());
                })
                .toList();
    }
}
