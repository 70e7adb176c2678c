package io.tessera.admin.overview;

import io.tessera.admin.overview.ClusterOverview.DeviceState;
import io.tessera.admin.overview.ClusterOverview.ExecutorState;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How many devices of one kind (and model) the live executors have, and how many of them are busy,
 * free, or of unknown state (their executor did not answer).
 *
 * @param model null when the count is over every model of the kind
 */
public record DeviceCount(String kind, String model, int busy, int free, int unknown) {

    public int total() {
        return busy + free + unknown;
    }

    /** Per kind, over every model; ordered by kind. */
    public static Map<String, DeviceCount> byKind(List<ExecutorState> executors) {
        Map<String, DeviceCount> counts = new TreeMap<>();
        tally(executors, state -> state.device().kind(), state -> null)
                .forEach(count -> counts.put(count.kind(), count));
        return counts;
    }

    /** Per kind and model; ordered by kind, then model. */
    public static List<DeviceCount> byModel(List<ExecutorState> executors) {
        return tally(executors, state -> state.device().kind() + "\u0000" + state.device().model(),
                state -> state.device().model());
    }

    private static List<DeviceCount> tally(List<ExecutorState> executors, Function<DeviceState, String> key,
                                           Function<DeviceState, String> model) {
        Map<String, DeviceCount> counts = new TreeMap<>();
        for (ExecutorState executor : executors) {
            for (DeviceState device : executor.devices()) {
                DeviceCount one = switch (device.occupancy()) {
                    case BUSY -> new DeviceCount(device.device().kind(), model.apply(device), 1, 0, 0);
                    case FREE -> new DeviceCount(device.device().kind(), model.apply(device), 0, 1, 0);
                    case UNKNOWN -> new DeviceCount(device.device().kind(), model.apply(device), 0, 0, 1);
                };
                counts.merge(key.apply(device), one, DeviceCount::plus);
            }
        }
        return counts.values().stream()
                .sorted(Comparator.comparing(DeviceCount::kind).thenComparing(c -> c.model() == null ? "" : c.model()))
                .toList();
    }

    private DeviceCount plus(DeviceCount other) {
        return new DeviceCount(kind, model, busy + other.busy, free + other.free, unknown + other.unknown);
    }
}
