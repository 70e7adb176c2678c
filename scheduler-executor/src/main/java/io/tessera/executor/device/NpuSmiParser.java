package io.tessera.executor.device;

import io.tessera.core.model.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the table {@code npu-smi info} prints for Huawei Ascend NPUs: two lines per chip,
 * <pre>
 * | 0     910B4-1             | OK            | 91.3        33                0    / 0             |
 * | 0                         | 0000:xx:00.0  | 0           0    / 0          3197 / 65536         |
 * </pre>
 * the first with NPU id, name and health, the second with chip id (and on boards with several chips
 * per NPU the {@code Phy-ID}), bus id, and memory and HBM use/total. The index
 * ({@code ASCEND_RT_VISIBLE_DEVICES}) is the Phy-ID where the table has one, else the NPU id. The
 * memory is the HBM total, else the memory total. A chip whose health is not {@code OK} is marked.
 */
public final class NpuSmiParser {

    static final String VENDOR = "huawei";
    static final List<String> QUERY = List.of("info");

    private static final Pattern FIRST = Pattern.compile("^\\|\\s*(\\d+)\\s+(\\S.*?)\\s*\\|\\s*(\\S+)\\s*\\|.*\\|\\s*$");
    private static final Pattern SECOND = Pattern.compile(
            "^\\|\\s*(\\d+)(?:\\s+(\\d+))?\\s*\\|\\s*([0-9A-Fa-fx:.]+)\\s*\\|\\s*\\S+\\s+(\\d+)\\s*/\\s*(\\d+)\\s+(\\d+)\\s*/\\s*(\\d+)\\s*\\|\\s*$");

    private NpuSmiParser() {
    }

    public static List<Device> parse(String output) {
        List<Device> devices = new ArrayList<>();
        if (output == null) {
            return devices;
        }
        Matcher pending = null;
        for (String line : output.split("\\R")) {
            Matcher first = FIRST.matcher(line);
            Matcher second = SECOND.matcher(line);
            if (pending != null && second.matches()) {
                int npu = Integer.parseInt(pending.group(1));
                int index = second.group(2) != null ? Integer.parseInt(second.group(2)) : npu;
                long hbmTotal = Long.parseLong(second.group(7));
                long memoryTotal = Long.parseLong(second.group(5));
                String health = pending.group(3);
                int taken = index;
                if (devices.stream().noneMatch(d -> d.index() == taken)) {
                    devices.add(new Device("NPU", VENDOR, pending.group(2), hbmTotal > 0 ? hbmTotal : memoryTotal, index, null)
                            .withHealth(health.equalsIgnoreCase("OK") ? null : "npu-smi reports health " + health));
                }
                pending = null;
            } else if (first.matches() && !first.group(2).startsWith("Name")) {
                pending = first;
            }
        }
        return devices;
    }
}
