package io.tessera.executor.device;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code nvidia-smi --query-gpu=index,utilization.gpu,memory.used --format=csv,noheader,nounits}.
 * A value the tool cannot give ({@code [N/A]}, as for GPUs in MIG mode) stays unmeasured.
 */
public final class NvidiaUsageParser {

    static final List<String> QUERY = List.of("--query-gpu=index,utilization.gpu,memory.used", "--format=csv,noheader,nounits");

    /** What was measured of one GPU; either value may be null. */
    public record Usage(Integer utilizationPercent, Long memoryUsedMb) {
    }

    private NvidiaUsageParser() {
    }

    public static Map<Integer, Usage> parse(String output) {
        Map<Integer, Usage> result = new HashMap<>();
        for (String line : output.split("\\R")) {
            String[] cells = line.split(",");
            if (cells.length != 3 || !cells[0].trim().matches("\\d+")) {
                continue;
            }
            String utilization = cells[1].trim();
            String memory = cells[2].trim();
            Integer percent = utilization.matches("\\d{1,3}") && Integer.parseInt(utilization) <= 100 ? Integer.valueOf(utilization) : null;
            Long used = memory.matches("\\d+") ? Long.valueOf(memory) : null;
            result.put(Integer.parseInt(cells[0].trim()), new Usage(percent, used));
        }
        return result;
    }
}
