package io.tessera.admin.overview;

import io.tessera.admin.overview.ClusterOverview.DeviceState;
import io.tessera.admin.overview.ClusterOverview.ExecutorState;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;

import java.util.Comparator;
import java.util.List;

/**
 * One device whose use its agent measured (GPU utilisation, memory in use), as its executor's card
 * carries it: the dashboard lists these. A device its agent measured nothing of (a declared device, a
 * MIG instance, a GPU whose tool gave {@code [N/A]}) is not one: nothing is shown for it rather than a
 * made-up zero.
 */
public record MeasuredDevice(String executorId, DeviceState state) {

    public Device device() {
        return state.device();
    }

    public DeviceId id() {
        return state.id();
    }

    public static boolean measured(Device device) {
        return device.utilizationPercent() != null || device.memoryUsedMb() != null;
    }

    /** Every measured device of the executors, busiest first (then most memory in use, then by executor and device). */
    public static List<MeasuredDevice> of(List<ExecutorState> executors) {
        return executors.stream()
                .flatMap(executor -> executor.devices().stream().filter(state -> measured(state.device()))
                        .map(state -> new MeasuredDevice(executor.card().id(), state)))
                .sorted(Comparator.comparing((MeasuredDevice m) -> m.device().utilizationPercent(),
                                Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(m -> m.device().memoryUsedMb(), Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(MeasuredDevice::executorId)
                        .thenComparing(m -> m.id().toString()))
                .toList();
    }
}
