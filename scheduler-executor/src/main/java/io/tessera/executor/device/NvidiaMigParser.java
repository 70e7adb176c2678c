package io.tessera.executor.device;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the MIG instances out of {@code nvidia-smi -L}:
 * <pre>
 * GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-7fda…)
 *   MIG 1g.10gb     Device  0: (UUID: MIG-feb8…)
 * </pre>
 * Each instance belongs to the GPU line above it.
 */
public final class NvidiaMigParser {

    /** One MIG instance: its profile ({@code 1g.10gb}), its number on its GPU and its UUID. */
    public record MigInstance(int gpuIndex, String profile, int device, String uuid) {

        /** The memory the profile's name promises ({@code 1g.10gb}: 10 GiB), in MiB; 0 when the name has none. */
        public long nominalMemoryMb() {
            Matcher gb = Pattern.compile("(\\d+)gb$").matcher(profile);
            return gb.find() ? Long.parseLong(gb.group(1)) * 1024 : 0;
        }
    }

    private static final Pattern GPU_LINE = Pattern.compile("^GPU (\\d+): .*");
    private static final Pattern MIG_LINE = Pattern.compile("^\\s+MIG (\\S+)\\s+Device\\s+(\\d+): \\(UUID: (MIG-[^)\\s]+)\\)\\s*$");

    private NvidiaMigParser() {
    }

    /** The instances by the index of their GPU; GPUs not in MIG mode are absent. */
    public static Map<Integer, List<MigInstance>> parse(String output) {
        Map<Integer, List<MigInstance>> result = new HashMap<>();
        if (output == null) {
            return result;
        }
        Integer gpu = null;
        for (String line : output.split("\\R")) {
            Matcher gpuLine = GPU_LINE.matcher(line);
            if (gpuLine.matches()) {
                gpu = Integer.parseInt(gpuLine.group(1));
                continue;
            }
            Matcher mig = MIG_LINE.matcher(line);
            if (mig.matches() && gpu != null) {
                result.computeIfAbsent(gpu, g -> new ArrayList<>())
                        .add(new MigInstance(gpu, mig.group(1), Integer.parseInt(mig.group(2)), mig.group(3)));
            }
        }
        return result;
    }
}
