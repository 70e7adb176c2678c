package io.tessera.executor.device;

import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.executor.config.AcceleratorSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceInventoryTest {

    private static final List<Device> DETECTED = List.of(
            new Device("GPU", "nvidia", "H100", 81559, 0, "GPU-a"),
            new Device("GPU", "nvidia", "H100", 81559, 1, "GPU-b"));

    @Test
    void declaredDevicesAddToDetectedOnesNumberedAfterThem() {
        DeviceInventory inventory = DeviceInventory.of(true, () -> DETECTED,
                List.of(AcceleratorSpec.parse("GPU:nvidia:L4:23034:2"), AcceleratorSpec.parse("NPU:huawei:910B:65536:1")));
        assertThat(inventory.devices()).extracting(DeviceId::of).containsExactly(new DeviceId("GPU", 0),
                new DeviceId("GPU", 1), new DeviceId("GPU", 2), new DeviceId("GPU", 3), new DeviceId("NPU", 0));
        assertThat(inventory.devices().get(2).model()).isEqualTo("L4");
    }

    @Test
    void withoutDetectionOnlyDeclaredDevicesCount() {
        DeviceInventory inventory = DeviceInventory.of(false, () -> {
            throw new AssertionError("detection must not run");
        }, List.of(AcceleratorSpec.parse("GPU:nvidia:H100:81559:2")));
        assertThat(inventory.devices()).extracting(Device::index).containsExactly(0, 1);
    }

    @Test
    void aCpuOnlyMachineHasNoDevices() {
        DeviceInventory inventory = DeviceInventory.of(true, List::of, List.of());
        assertThat(inventory.devices()).isEmpty();
        assertThat(inventory.free(List.of())).isEmpty();
    }

    @Test
    void freeDevicesAreThoseNotBusy() {
        DeviceInventory inventory = new DeviceInventory(DETECTED);
        assertThat(inventory.free(List.of(new DeviceId("GPU", 0)))).containsExactly(new DeviceId("GPU", 1));
        assertThat(inventory.has(new DeviceId("GPU", 1))).isTrue();
        assertThat(inventory.has(new DeviceId("GPU", 2))).isFalse();
    }
}
