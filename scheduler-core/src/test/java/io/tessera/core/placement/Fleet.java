package io.tessera.core.placement;

import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds executor cards for placement tests. */
final class Fleet {

    private Fleet() {
    }

    static ExecutorCard gpus(String id, int count) {
        return gpus(id, count, "NVIDIA H100 80GB HBM3", 81559, 8);
    }

    static ExecutorCard gpus(String id, int count, String model, long memoryMb, int slots) {
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(new Device("GPU", "nvidia", model, memoryMb, i, id + "-gpu-" + i));
        }
        return new ExecutorCard(id, "default", id + ":9999", devices, slots, Map.of(), "test");
    }

    static ExecutorCard cpu(String id, int slots) {
        return new ExecutorCard(id, "default", id + ":9999", List.of(), slots, Map.of(), "test");
    }
}
