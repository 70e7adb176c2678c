package io.tessera.executor.device;

import java.util.Map;
import java.util.Optional;

/** Reads the NVIDIA GPUs' health and use again, through {@code nvidia-smi}'s CSV queries. */
public final class NvidiaSampler {

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
}
