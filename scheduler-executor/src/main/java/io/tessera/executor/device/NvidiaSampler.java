package io.tessera.executor.device;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the NVIDIA GPUs' health and use again, through {@code nvidia-smi}'s CSV queries, and what
 * ties the kernel's Xid reports and the MIG instances to them: the GPUs' PCI bus ids and the GPU each
 * MIG instance is carved from.
 */
public final class NvidiaSampler {

    static final List<String> BUS_ID_QUERY = List.of("--query-gpu=index,pci.bus_id", "--format=csv,noheader");

    private final NvidiaSmiDetector tool;

    public NvidiaSampler(NvidiaSmiDetector tool) {
        this.tool = tool;
    }

    /** Health by GPU index (null: healthy), or empty when {@code nvidia-smi} did not answer. */
    public Optional<Map<Integer, String>> health() {
        return tool.tools().run("GPU health not read", tool.command(NvidiaHealthParser.QUERY)).map(NvidiaHealthParser::parse);
    }

    /** Utilisation and memory in use by GPU index, or empty when {@code nvidia-smi} did not answer. */
    public Optional<Map<Integer, NvidiaUsageParser.Usage>> usage() {
        return tool.tools().run("GPU use not measured", tool.command(NvidiaUsageParser.QUERY)).map(NvidiaUsageParser::parse);
    }

    /** GPU index by PCI bus id as {@link NvidiaXidParser#busId} spells it; the result says why when there is none. */
    public ToolRunner.Result busIds() {
        return tool.tools().attempt(tool.command(BUS_ID_QUERY));
    }

    static Map<String, Integer> parseBusIds(String output) {
        Map<String, Integer> result = new HashMap<>();
        for (String line : output.split("\\R")) {
            String[] cells = line.split(",");
            if (cells.length != 2 || !cells[0].trim().matches("\\d+")) {
                continue;
            }
            String busId = NvidiaXidParser.busId(cells[1]);
            if (busId != null) {
                result.put(busId, Integer.parseInt(cells[0].trim()));
            }
        }
        return result;
    }

    /** The index of the GPU each MIG instance is carved from, by the instance's UUID; the result says why when there is none. */
    public ToolRunner.Result migInstances() {
        return tool.tools().attempt(tool.command(List.of("-L")));
    }

    static Map<String, Integer> parseMigParents(String output) {
        Map<String, Integer> result = new HashMap<>();
        NvidiaMigParser.parse(output).forEach((gpu, instances) -> instances.forEach(mig -> result.put(mig.uuid(), gpu)));
        return result;
    }
}
