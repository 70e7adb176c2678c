package io.tessera.executor.device;

import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.executor.config.AcceleratorSpec;
import io.tessera.executor.config.AgentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The devices this agent offers: what was detected plus what was declared (declared devices are
 * numbered after the detected ones of the same kind), or only what was declared when detection is off.
 * The set of devices never changes; their health and measured use do ({@link #update}).
 */
public final class DeviceInventory {

    private static final Logger log = LoggerFactory.getLogger(DeviceInventory.class);

    private volatile List<Device> devices;

    public DeviceInventory(List<Device> devices) {
        this.devices = List.copyOf(devices);
    }

    public static DeviceInventory from(AgentConfig config) {
        return of(config.detectDevices(), () -> detect(config), config.accelerators());
    }

    /** NVIDIA GPUs, else AMD GPUs (both would claim the same GPU indices), and Huawei Ascend NPUs. */
    static List<Device> detect(AgentConfig config) {
        ToolRunner tools = new ToolRunner(config.detectTimeout());
        List<Device> nvidia = new NvidiaSmiDetector(config.nvidiaSmi(), config.detectTimeout()).detect();
        List<Device> amd = tools.run("no AMD GPUs detected", command(config.rocmSmi(), RocmSmiParser.QUERY))
                .map(RocmSmiParser::parse).orElse(List.of());
        List<Device> ascend = tools.run("no Ascend NPUs detected", command(config.npuSmi(), NpuSmiParser.QUERY))
                .map(NpuSmiParser::parse).orElse(List.of());
        List<Device> all = new ArrayList<>(nvidia);
        if (!amd.isEmpty() && !nvidia.isEmpty()) {
            log.warn("ignoring {} AMD GPU(s): this agent also has NVIDIA GPUs and both number their GPUs from 0;"
                    + " run one agent per vendor, or declare them with --accelerator", amd.size());
        } else {
            all.addAll(amd);
        }
        all.addAll(ascend);
        if (!amd.isEmpty() || !ascend.isEmpty()) {
            log.info("detected {} AMD GPU(s), {} Ascend NPU(s)", amd.size(), ascend.size());
        }
        return all;
    }

    static List<String> command(String executable, List<String> arguments) {
        return Stream.concat(Stream.of(executable), arguments.stream()).toList();
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

    public Optional<Device> device(DeviceId id) {
        return devices.stream().filter(d -> DeviceId.of(d).equals(id)).findFirst();
    }

    public boolean has(DeviceId id) {
        return device(id).isPresent();
    }

    /** The devices not in {@code busy}. */
    public List<DeviceId> free(Collection<DeviceId> busy) {
        Set<DeviceId> taken = Set.copyOf(busy);
        return devices.stream().map(DeviceId::of).filter(id -> !taken.contains(id)).toList();
    }

    /** Replaces each device by what {@code change} makes of it; true when anything changed. */
    public synchronized boolean update(UnaryOperator<Device> change) {
        List<Device> next = devices.stream().map(change).toList();
        if (next.equals(devices)) {
            return false;
        }
        devices = next;
        return true;
    }
}
