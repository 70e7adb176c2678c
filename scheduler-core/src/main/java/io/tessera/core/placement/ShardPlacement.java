package io.tessera.core.placement;

import io.tessera.core.model.DeviceId;

import java.util.List;

/** Where one shard goes and which devices on that executor it gets. */
public record ShardPlacement(int shardIndex, String executorId, String address, List<DeviceId> devices) {

    public ShardPlacement {
        devices = List.copyOf(devices);
    }

    /** The device indices, comma-separated, as {@code CUDA_VISIBLE_DEVICES} wants them. */
    public String visibleDevices() {
        return String.join(",", devices.stream().map(device -> Integer.toString(device.index())).toList());
    }
}
