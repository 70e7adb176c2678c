package io.tessera.admin.overview;

import io.tessera.admin.overview.ClusterOverview.DeviceState;
import io.tessera.admin.overview.ClusterOverview.ExecutorState;
import io.tessera.admin.overview.ClusterOverview.Occupancy;
import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceCountTest {

    private static final List<ExecutorState> CLUSTER = List.of(
            executor("a", true, device("GPU", "H100", 0, Occupancy.BUSY), device("GPU", "H100", 1, Occupancy.FREE),
                    device("NPU", "Ascend 910B", 0, Occupancy.FREE)),
            executor("b", true, device("GPU", "A100", 0, Occupancy.BUSY), device("GPU", "H100", 1, Occupancy.BUSY)),
            executor("c", false, device("GPU", "H100", 0, Occupancy.UNKNOWN)));

    @Test
    void countsPerKindAndModel() {
        assertThat(DeviceCount.byModel(CLUSTER)).containsExactly(
                new DeviceCount("GPU", "A100", 1, 0, 0),
                new DeviceCount("GPU", "H100", 2, 1, 1),
                new DeviceCount("NPU", "Ascend 910B", 0, 1, 0));
    }

    @Test
    void countsPerKind() {
        Map<String, DeviceCount> byKind = DeviceCount.byKind(CLUSTER);
        assertThat(byKind.keySet()).containsExactly("GPU", "NPU");
        assertThat(byKind.get("GPU")).isEqualTo(new DeviceCount("GPU", null, 3, 1, 1));
        assertThat(byKind.get("GPU").total()).isEqualTo(5);
        assertThat(DeviceCount.byKind(List.of())).isEmpty();
    }

    private static DeviceState device(String kind, String model, int index, Occupancy occupancy) {
        return new DeviceState(new Device(kind, "v", model, 1024, index, null), occupancy, null);
    }

    private static ExecutorState executor(String id, boolean reachable, DeviceState... devices) {
        ExecutorCard card = new ExecutorCard(id, "g", id + ":7000", java.util.Arrays.stream(devices).map(DeviceState::device).toList(),
                1, Map.of(), "test");
        return new ExecutorState(card, List.of(devices), List.of(), reachable, reachable ? null : "no answer");
    }
}
