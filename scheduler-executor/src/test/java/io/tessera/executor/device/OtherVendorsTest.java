package io.tessera.executor.device;

import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.executor.config.AcceleratorSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** AMD ({@code rocm-smi}) and Huawei Ascend ({@code npu-smi}) on outputs recorded on real machines. */
class OtherVendorsTest {

    @Test
    void rocmSmiJsonGivesTheCardSeriesItsVramAndTheCardNumber() throws IOException {
        List<Device> devices = RocmSmiParser.parse(read("/rocm-smi/rx7900xt-productname-use-vram.json"));
        assertThat(devices).containsExactly(new Device("GPU", "amd", "Radeon RX 7900 XT", 21458059264L / 1048576, 0, null));
    }

    @Test
    void rocmSmiWithoutMemoryStillListsTheCard() throws IOException {
        List<Device> devices = RocmSmiParser.parse(read("/rocm-smi/mi200-productname.json"));
        assertThat(devices).singleElement().satisfies(d -> {
            assertThat(d.model()).isEqualTo("AMD INSTINCT MI200 (MCM) OAM LC MBA HPE C2");
            assertThat(d.memoryMb()).isZero();
        });
        assertThat(RocmSmiParser.parse("ERROR: no AMD GPUs")).isEmpty();
    }

    @Test
    void npuSmiGivesEachNpuWithItsHbm() throws IOException {
        List<Device> devices = NpuSmiParser.parse(read("/npu-smi/info-910b4-2npu.txt"));
        assertThat(devices).containsExactly(
                new Device("NPU", "huawei", "910B4-1", 65536, 0, null),
                new Device("NPU", "huawei", "910B4-1", 65536, 1, null));
    }

    @Test
    void npuSmiWithTwoChipsPerNpuNumbersThemByPhysicalId() throws IOException {
        List<Device> devices = NpuSmiParser.parse(read("/npu-smi/info-910-two-chips.txt"));
        assertThat(devices).extracting(Device::index).containsExactly(0, 1, 2);
        assertThat(devices).allSatisfy(d -> {
            assertThat(d.model()).isEqualTo("Ascend910");
            assertThat(d.healthy()).isTrue();
        });
    }

    @Test
    void aChipNpuSmiDoesNotCallOkIsUnhealthy() throws IOException {
        String alarmed = read("/npu-smi/info-910b4-2npu.txt").replaceFirst("\\| OK {12}\\|", "| Alarm         |");
        List<Device> devices = NpuSmiParser.parse(alarmed);
        assertThat(devices.get(0).health()).isEqualTo("npu-smi reports health Alarm");
        assertThat(devices.get(1).healthy()).isTrue();
    }

    @Test
    void eachVendorGetsItsOwnVisibilityVariable() throws IOException {
        List<Device> all = new java.util.ArrayList<>(RocmSmiParser.parse(read("/rocm-smi/rx7900xt-productname-use-vram.json")));
        all.add(new Device("GPU", "amd", "MI300X", 196592, 3, null));
        all.addAll(NpuSmiParser.parse(read("/npu-smi/info-910-two-chips.txt")));
        DeviceVisibility visibility = new DeviceVisibility(new DeviceInventory(all));

        assertThat(visibility.variables(List.of(new DeviceId("GPU", 3))))
                .containsEntry("ROCR_VISIBLE_DEVICES", "3")
                .containsEntry("HIP_VISIBLE_DEVICES", "0")
                .containsEntry("CUDA_VISIBLE_DEVICES", "")
                .doesNotContainKey("ASCEND_RT_VISIBLE_DEVICES");
        assertThat(visibility.variables(List.of(new DeviceId("NPU", 2), new DeviceId("NPU", 1))))
                .containsEntry("ASCEND_RT_VISIBLE_DEVICES", "1,2")
                .doesNotContainKey("HIP_VISIBLE_DEVICES");
    }

    @Test
    void declaredDevicesOfAVendorGetThatVendorsVariable() {
        DeviceInventory inventory = DeviceInventory.of(false, List::of, List.of(AcceleratorSpec.parse("NPU:huawei:910B:65536:2")));
        assertThat(new DeviceVisibility(inventory).variables(List.of(new DeviceId("NPU", 1))))
                .containsEntry("ASCEND_RT_VISIBLE_DEVICES", "1");
    }

    static String read(String resource) throws IOException {
        try (InputStream in = OtherVendorsTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
