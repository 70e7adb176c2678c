package io.tessera.executor.device;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code nvidia-smi topo -m}: a matrix whose header names the devices ({@code GPU0 … NIC0 …})
 * followed by {@code CPU Affinity}, {@code NUMA Affinity} and, on newer drivers, {@code GPU NUMA ID};
 * then one row per device. Only GPU-to-GPU links and each GPU's NUMA node are kept. Rows cut short
 * or cells it does not know leave that link unknown rather than failing.
 */
public final class NvidiaTopologyParser {

    /** One GPU's place: its NUMA node (null when unknown) and its links to other GPUs by index. */
    public record GpuTopology(Integer numaNode, Map<Integer, String> links) {
    }

    private static final Pattern GPU = Pattern.compile("GPU(\\d+)");

    private NvidiaTopologyParser() {
    }

    public static Map<Integer, GpuTopology> parse(String output) {
        Map<Integer, GpuTopology> result = new HashMap<>();
        if (output == null) {
            return result;
        }
        List<String> columns = null;
        boolean numaColumn = false;
        for (String line : output.split("\\R")) {
            String[] tokens = line.trim().split("\\s+");
            if (columns == null) {
                if (line.matches("\\s+GPU0\\b.*")) {
                    columns = header(tokens);
                    numaColumn = line.contains("NUMA Affinity");
                }
                continue;
            }
            if (line.isBlank() || line.trim().startsWith("Legend")) {
                break;
            }
            Matcher row = GPU.matcher(tokens[0]);
            if (!row.matches()) {
                continue;
            }
            int index = Integer.parseInt(row.group(1));
            Map<Integer, String> links = new HashMap<>();
            for (int c = 0; c < columns.size() && c + 1 < tokens.length; c++) {
                Matcher other = GPU.matcher(columns.get(c));
                String cell = tokens[c + 1];
                if (other.matches() && Integer.parseInt(other.group(1)) != index && !cell.equals("X")) {
                    links.put(Integer.parseInt(other.group(1)), cell);
                }
            }
            Integer numa = null;
            int numaAt = columns.size() + 2;
            if (numaColumn && numaAt < tokens.length && tokens[numaAt].matches("\\d+")) {
                numa = Integer.parseInt(tokens[numaAt]);
            }
            result.put(index, new GpuTopology(numa, links));
        }
        return result;
    }

    /** The device columns: the header's names up to {@code CPU Affinity}. */
    private static List<String> header(String[] tokens) {
        List<String> columns = new ArrayList<>();
        for (String token : tokens) {
            if (token.equals("CPU")) {
                break;
            }
            if (!token.isEmpty()) {
                columns.add(token);
            }
        }
        return columns;
    }
}
