package io.tessera.core.placement;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.RoutingStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topology-aware choice of devices and the exclusion of unhealthy ones. The PCIe box is the five-GPU
 * machine whose {@code nvidia-smi topo -m} is recorded in the executor's test resources
 * ({@code nvidia-smi/topo-pcie-5gpu.txt}): GPU0 alone on NUMA node 1, GPU1+GPU2 and GPU3+GPU4 pairs
 * behind one host bridge each on node 0.
 */
class DeviceChoiceTest {

    private static final String[][] PCIE_BOX = {
            {"X", "SYS", "SYS", "SYS", "SYS"},
            {"SYS", "X", "PHB", "NODE", "NODE"},
            {"SYS", "PHB", "X", "NODE", "NODE"},
            {"SYS", "NODE", "NODE", "X", "PHB"},
            {"SYS", "NODE", "NODE", "PHB", "X"}};
    private static final int[] PCIE_NUMA = {1, 0, 0, 0, 0};

    @Test
    void withoutTopologyTheLowestIndicesAreTaken() {
        List<Device> plain = List.of(gpu(0), gpu(1), gpu(2), gpu(3));
        assertThat(indices(DeviceChoice.best(plain, 2))).containsExactly(0, 1);
    }

    @Test
    void onAPcieBoxTwoGpusShareAHostBridgeAndFourStayOnOneNumaNode() {
        List<Device> box = box(PCIE_BOX, PCIE_NUMA);
        assertThat(indices(DeviceChoice.best(box, 2))).containsExactly(1, 2);
        assertThat(indices(DeviceChoice.best(box, 4))).containsExactly(1, 2, 3, 4);
        assertThat(DeviceChoice.weakestLink(DeviceChoice.best(box, 2))).isEqualTo("PHB");
    }

    @Test
    void whenThePairIsTakenTheNextBestPairFollows() {
        List<Device> box = box(PCIE_BOX, PCIE_NUMA);
        List<Device> free = box.stream().filter(d -> d.index() != 1).toList();
        assertThat(indices(DeviceChoice.best(free, 2))).containsExactly(3, 4);
    }

    @Test
    void moreBondedNvLinksBeatFewerAndAnyNvLinkBeatsPcie() {
        String[][] links = {
                {"X", "NV4", "PIX", "NV2"},
                {"NV4", "X", "NV2", "PIX"},
                {"PIX", "NV2", "X", "NV12"},
                {"NV2", "PIX", "NV12", "X"}};
        List<Device> box = box(links, null);
        assertThat(indices(DeviceChoice.best(box, 2))).containsExactly(2, 3);
        assertThat(DeviceChoice.linkCost("NV2")).isLessThan(DeviceChoice.linkCost("PIX"));
        assertThat(DeviceChoice.linkCost("PIX")).isLessThan(DeviceChoice.linkCost("PXB"));
        assertThat(DeviceChoice.linkCost("PHB")).isLessThan(DeviceChoice.linkCost("NODE"));
        assertThat(DeviceChoice.linkCost("NODE")).isLessThan(DeviceChoice.linkCost("SYS"));
    }

    @Test
    void aLargeBoxIsSearchedGreedilyAndStillKeepsTheNumaNodeTogether() {
        int n = 32;
        String[][] links = new String[n][n];
        int[] numa = new int[n];
        for (int i = 0; i < n; i++) {
            numa[i] = i < 16 ? 0 : 1;
            for (int j = 0; j < n; j++) {
                links[i][j] = i == j ? "X" : numa[i] == (j < 16 ? 0 : 1) ? "NODE" : "SYS";
            }
        }
        List<Device> free = box(links, numa).stream().filter(d -> d.index() >= 10).toList();
        List<Device> chosen = DeviceChoice.best(free, 8);
        assertThat(chosen).hasSize(8).allSatisfy(d -> assertThat(d.numaNode()).isEqualTo(1));
    }

    @Test
    void thePlacerGivesAShardTheBestConnectedDevices() {
        ExecutorCard card = new ExecutorCard("pcie", "default", "pcie:9999", box(PCIE_BOX, PCIE_NUMA), 8, Map.of(), "test");
        PlacementResult result = Placer.place(request(AcceleratorRequirement.of("GPU", 2)), ClusterSnapshot.idle(List.of(card)));
        assertThat(result.placed()).singleElement()
                .satisfies(p -> assertThat(p.devices()).containsExactly(new DeviceId("GPU", 1), new DeviceId("GPU", 2)));
    }

    @Test
    void theCoreOfPlacementSkipsAnUnhealthyDevice() {
        List<Device> devices = new ArrayList<>(List.of(gpu(0).withHealth("3 uncorrectable ECC errors"), gpu(1)));
        ExecutorCard card = new ExecutorCard("a", "default", "a:9999", devices, 8, Map.of(), "test");

        PlacementResult one = Placer.place(request(AcceleratorRequirement.of("GPU", 1)), ClusterSnapshot.idle(List.of(card)));
        assertThat(one.placed()).singleElement().satisfies(p -> assertThat(p.devices()).containsExactly(new DeviceId("GPU", 1)));

        PlacementResult two = Placer.place(request(AcceleratorRequirement.of("GPU", 2)), ClusterSnapshot.idle(List.of(card)));
        assertThat(two.placed()).isEmpty();
        assertThat(two.reason()).contains("1 of 2 matching device(s) free", "1 matching device(s) unhealthy, not placed on");

        ClusterSnapshot healthyOneBusy = new ClusterSnapshot(List.of(card), Map.of("a", Set.of(new DeviceId("GPU", 1))), Map.of("a", 1));
        assertThat(Placer.place(request(AcceleratorRequirement.of("GPU", 1)), healthyOneBusy).placed()).isEmpty();
    }

    private static PlacementRequest request(AcceleratorRequirement requirement) {
        return new PlacementRequest("default", PlacementRequest.allShards(1), requirement, false,
                RoutingStrategy.ROUND_ROBIN, PlacementStrategy.PACK, "job", 0);
    }

    private static Device gpu(int index) {
        return new Device("GPU", "nvidia", "NVIDIA GeForce RTX 4090", 24564, index, "GPU-" + index);
    }

    private static List<Device> box(String[][] matrix, int[] numa) {
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < matrix.length; i++) {
            Map<Integer, String> links = new HashMap<>();
            for (int j = 0; j < matrix.length; j++) {
                if (i != j) {
                    links.put(j, matrix[i][j]);
                }
            }
            devices.add(gpu(i).withTopology(numa == null ? null : numa[i], links));
        }
        return devices;
    }

    private static List<Integer> indices(List<Device> devices) {
        return devices.stream().map(Device::index).toList();
    }
}
