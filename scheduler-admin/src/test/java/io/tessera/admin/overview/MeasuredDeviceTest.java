package io.tessera.admin.overview;

import io.tessera.admin.overview.ClusterOverview.DeviceState;
import io.tessera.admin.overview.ClusterOverview.ExecutorState;
import io.tessera.admin.overview.ClusterOverview.Occupancy;
import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's measured devices: only what an agent measured, busiest first. */
class MeasuredDeviceTest {

    @Test
    void onlyMeasuredDevicesAreListedBusiestFirst() {
        Device h100 = gpu(0);
        List<ExecutorState> cluster = List.of(
                executor("a", h100.withUsage(12, 1000L), gpu(1).withUsage(null, 5000L), gpu(2)),
                executor("b", h100.withUsage(87, 40_112L), new Device("GPU", "nvidia", "1g.10gb", 10240, 1, "MIG-x")),
                executor("c", h100.withUsage(87, 50_000L)));

        assertThat(MeasuredDevice.of(cluster)).extracting(m -> m.executorId() + " " + m.id())
                .containsExactly("c GPU:0", "b GPU:0", "a GPU:0", "a GPU:1");
        assertThat(MeasuredDevice.measured(h100)).isFalse();
        assertThat(MeasuredDevice.of(List.of(executor("d", h100)))).as("nothing measured, nothing shown").isEmpty();
    }

    private static Device gpu(int index) {
        return new Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, index, "GPU-" + index);
    }

    private static ExecutorState executor(String id, Device... devices) {
        ExecutorCard card = new ExecutorCard(id, "g", id + ":7000", Arrays.asList(devices), 1, Map.of(), "test");
        return new ExecutorState(card, Arrays.stream(devices).map(d -> new DeviceState(d, Occupancy.FREE, null)).toList(),
                List.of(), true, null);
    }
}
