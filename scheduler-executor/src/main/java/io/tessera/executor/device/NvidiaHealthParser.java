package io.tessera.executor.device;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code nvidia-smi --query-gpu=index,ecc.errors.uncorrected.volatile.total,retired_pages.pending,
 * remapped_rows.pending,remapped_rows.failure --format=csv,noheader,nounits}: what makes a GPU unfit
 * for work. {@code [N/A]} (a GPU without ECC, or a generation without row remapping) counts as fine.
 */
public final class NvidiaHealthParser {

    static final List<String> QUERY = List.of(
            "--query-gpu=index,ecc.errors.uncorrected.volatile.total,retired_pages.pending,remapped_rows.pending,remapped_rows.failure",
            "--format=csv,noheader,nounits");

    private NvidiaHealthParser() {
    }

    /** Every GPU the output lists, by index: null when healthy, else what is wrong and what to do. */
    public static Map<Integer, String> parse(String output) {
        Map<Integer, String> result = new HashMap<>();
        for (String line : output.split("\\R")) {
            String[] cells = line.split(",");
            if (cells.length != 5 || !cells[0].trim().matches("\\d+")) {
                continue;
            }
            List<String> problems = new ArrayList<>();
            String uncorrected = cells[1].trim();
            if (uncorrected.matches("\\d+") && Long.parseLong(uncorrected) > 0) {
                problems.add(uncorrected + " uncorrectable ECC error(s) since the driver loaded");
            }
            if (yes(cells[2])) {
                problems.add("memory pages pending retirement (reset the GPU or reboot)");
            }
            if (yes(cells[3])) {
                problems.add("row remapping pending (reset the GPU)");
            }
            if (yes(cells[4])) {
                problems.add("row remapping failed (the GPU needs service)");
            }
            result.put(Integer.parseInt(cells[0].trim()), problems.isEmpty() ? null : String.join("; ", problems));
        }
        return result;
    }

    private static boolean yes(String cell) {
        String value = cell.trim();
        return value.equalsIgnoreCase("Yes") || value.equals("1");
    }
}
