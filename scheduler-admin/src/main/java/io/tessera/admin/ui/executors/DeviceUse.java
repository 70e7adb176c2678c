package io.tessera.admin.ui.executors;

import io.tessera.core.model.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the admin writes a device's memory and measured use, the same in the executor view and on the dashboard. */
public final class DeviceUse {

    private DeviceUse() {
    }

    /** What the agent last measured, e.g. {@code 87 % · 39.2 GiB used}; empty when it measured nothing. */
    public static String use(Device device) {
        List<String> parts = new ArrayList<>();
        if (device.utilizationPercent() != null) {
            parts.add(device.utilizationPercent() + " %");
        }
        if (device.memoryUsedMb() != null) {
            parts.add(memory(device.memoryUsedMb()) + " used");
        }
        return String.join(" · ", parts);
    }

    /** {@code 79.6 GiB}, or MiB below one GiB. */
    public static String memory(long memoryMb) {
        return memoryMb >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", memoryMb / 1024.0) : memoryMb + " MiB";
    }
}
