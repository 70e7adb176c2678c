package io.tessera.executor.device;

import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.executor.config.AcceleratorSpec;
import io.tessera.executor.config.AgentConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The devices this agent offers: what was detected plus what was declared (declared devices are
 * numbered after the detected ones of the same kind), or only what was declared when detection is off.
 */
public final class DeviceInventory {

    private final List<Device> devices;

    public DeviceInventory(List<Device> devices) {
        this.devices = List.copyOf(devices);
    }

    public static DeviceInventory from(AgentConfig config) {
        return of(config.detectDevices(),
                () -> new NvidiaSmiDetector(config.nvidiaSmi(), config.detectTimeout()).detect(),
                config.accelerators());
    }

    static DeviceInventory of(boolean detect, Supplier<List<Device>> detector, List<AcceleratorSpec> declared) {
        List<Device> all = new ArrayList<>(detect ? detector.get() : List.of());
        Map<String, Integer> nextIndex = new HashMap<>();
        for (Device device : all) {
            nextIndex.merge(device.kind(), device.index() + 1, Math::max);
        }
        for (AcceleratorSpec spec : declared) {
            List<Device> added = spec.devices(nextIndex.getOrDefault(spec.kind().toUpperCase(java.util.Locale.ROOT), 0));
            all.addAll(added);
            nextIndex.put(added.get(0).kind(), added.get(added.size() - 1).index() + 1);
        }
        return new DeviceInventory(all);
    }

    public List<Device> devices() {
        return devices;
    }

    public boolean has(DeviceId id) {
        return devices.stream().anyMatch(d -> DeviceId.of(d).equals(id));
    }

    /** The devices not in {@code busy}. */
    public List<DeviceId> free(Collection<DeviceId> busy) {
        Set<DeviceId> taken = Set.copyOf(busy);
        return devices.stream().map(DeviceId::of).filter(id -> !taken.contains(id)).toList();
    }
}
