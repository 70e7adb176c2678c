package io.tessera.bench.placement;

import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Executor cards for simulated clusters: one slot per device, so slots never bind before devices. */
final class Clusters {

    private Clusters() {
    }

    static void add(List<ExecutorCard> cluster, int machines, int gpus, String model, long memoryMb) {
        for (int m = 0; m < machines; m++) {
            String id = "x" + (cluster.size() + 1) + "-" + gpus + "g";
            List<Device> devices = new ArrayList<>();
            for (int i = 0; i < gpus; i++) {
                devices.add(new Device("GPU", "nvidia", model, memoryMb, i, id + "-" + i));
            }
            cluster.add(new ExecutorCard(id, Trace.GROUP, id + ":9999", devices, gpus, Map.of(), "sim"));
        }
    }
}
