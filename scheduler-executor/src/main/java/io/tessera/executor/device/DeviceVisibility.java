package io.tessera.executor.device;

import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.placement.DeviceChoice;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The environment variables that show a shard's process its devices and no others, per vendor:
 * {@code CUDA_VISIBLE_DEVICES} (always set, empty for a shard without NVIDIA GPUs; MIG instances by
 * their UUID), {@code ROCR_VISIBLE_DEVICES} and {@code HIP_VISIBLE_DEVICES} for AMD GPUs, and
 * {@code ASCEND_RT_VISIBLE_DEVICES} for Ascend NPUs.
 */
public final class DeviceVisibility {

    private final DeviceInventory inventory;

    public DeviceVisibility(DeviceInventory inventory) {
        this.inventory = inventory;
    }

    public Map<String, String> variables(List<DeviceId> assigned) {
        List<Device> devices = known(assigned);
        Map<String, String> env = new LinkedHashMap<>();
        List<Device> amd = of(devices, RocmSmiParser.VENDOR);
        List<Device> ascend = of(devices, NpuSmiParser.VENDOR);
        List<Device> cuda = devices.stream().filter(d -> d.kind().equals("GPU") && !amd.contains(d)).toList();
        boolean mig = cuda.stream().anyMatch(d -> d.uuid() != null && d.uuid().startsWith("MIG-"));
        env.put("CUDA_VISIBLE_DEVICES", cuda.stream()
                .map(d -> mig && d.uuid() != null ? d.uuid() : Integer.toString(d.index()))
                .collect(Collectors.joining(",")));
        if (!amd.isEmpty()) {
            // ROCr filters first and renumbers from 0; HIP then picks among what is left, so it gets 0..k-1.
            env.put("ROCR_VISIBLE_DEVICES", indices(amd));
            env.put("HIP_VISIBLE_DEVICES", IntStream.range(0, amd.size()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        }
        if (!ascend.isEmpty()) {
            env.put("ASCEND_RT_VISIBLE_DEVICES", indices(ascend));
        }
        return env;
    }

    /** For the shard's log: which devices, and how well the chosen ones are connected. */
    public String describe(List<DeviceId> assigned) {
        List<Device> devices = known(assigned);
        if (devices.isEmpty()) {
            return "no devices";
        }
        String list = devices.stream().map(d -> DeviceId.of(d) + " (" + d.model() + (d.uuid() == null ? "" : ", " + d.uuid()) + ")")
                .collect(Collectors.joining(", "));
        boolean topology = devices.stream().anyMatch(d -> !d.links().isEmpty() || d.numaNode() != null);
        if (devices.size() < 2 || !topology) {
            return list;
        }
        String numa = devices.stream().map(d -> d.numaNode() == null ? "?" : d.numaNode().toString()).distinct()
                .collect(Collectors.joining(","));
        return list + "; weakest link between them " + DeviceChoice.weakestLink(devices) + ", NUMA node(s) " + numa;
    }

    /** The assigned devices this agent has, by kind and index. */
    private List<Device> known(List<DeviceId> assigned) {
        return assigned.stream()
                .map(id -> inventory.device(id).orElse(null))
                .filter(d -> d != null)
                .sorted(Comparator.comparing(Device::kind).thenComparingInt(Device::index))
                .toList();
    }

    private static List<Device> of(List<Device> devices, String vendor) {
        return devices.stream().filter(d -> d.vendor().equalsIgnoreCase(vendor)).toList();
    }

    private static String indices(List<Device> devices) {
        return devices.stream().map(d -> Integer.toString(d.index())).collect(Collectors.joining(","));
    }
}
