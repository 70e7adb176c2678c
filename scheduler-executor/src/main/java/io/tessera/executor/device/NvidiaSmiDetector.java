package io.tessera.executor.device;

import io.tessera.core.model.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Asks {@code nvidia-smi} for the GPUs ({@code --query-gpu}), their MIG instances ({@code -L}) and how
 * they are connected ({@code topo -m}). A missing, failing or hanging tool means "no NVIDIA GPUs": the
 * agent still starts, and says why in its log. Without {@code -L} or {@code topo -m} the GPUs are kept,
 * whole and without topology.
 *
 * <p>A GPU in MIG mode is replaced by its instances: each is a device with its profile
 * ({@code 1g.10gb}) as model, the memory its profile names, its {@code MIG-} UUID (what
 * {@code CUDA_VISIBLE_DEVICES} takes) and an index after those of the physical GPUs.
 */
public final class NvidiaSmiDetector {

    static final List<String> QUERY = List.of("--query-gpu=index,uuid,name,memory.total", "--format=csv,noheader,nounits");
    private static final Logger log = LoggerFactory.getLogger(NvidiaSmiDetector.class);

    private final String executable;
    private final ToolRunner tools;

    public NvidiaSmiDetector(String executable, Duration timeout) {
        this.executable = executable;
        this.tools = new ToolRunner(timeout);
    }

    public List<Device> detect() {
        String listing = tools.run("no NVIDIA GPUs detected", command(QUERY)).orElse(null);
        if (listing == null) {
            return List.of();
        }
        List<Device> gpus = NvidiaSmiParser.parse(listing);
        if (gpus.isEmpty()) {
            log.info("detected 0 NVIDIA GPUs");
            return gpus;
        }
        Map<Integer, NvidiaTopologyParser.GpuTopology> topology = tools.run("NVIDIA topology unknown", command(List.of("topo", "-m")))
                .map(NvidiaTopologyParser::parse).orElse(Map.of());
        Map<Integer, List<NvidiaMigParser.MigInstance>> migs = tools.run("NVIDIA MIG instances unknown", command(List.of("-L")))
                .map(NvidiaMigParser::parse).orElse(Map.of());
        List<Device> devices = combine(gpus, topology, migs);
        log.info("detected {} NVIDIA GPU(s){}{}", gpus.size(),
                migs.isEmpty() ? "" : ", " + migs.values().stream().mapToInt(List::size).sum() + " MIG instance(s) in their place",
                topology.isEmpty() ? "" : ", with topology");
        return devices;
    }

    static List<Device> combine(List<Device> gpus, Map<Integer, NvidiaTopologyParser.GpuTopology> topology,
                                Map<Integer, List<NvidiaMigParser.MigInstance>> migs) {
        List<Device> devices = new ArrayList<>();
        int nextIndex = gpus.stream().mapToInt(Device::index).max().orElse(-1) + 1;
        for (Device gpu : gpus) {
            NvidiaTopologyParser.GpuTopology place = topology.get(gpu.index());
            List<NvidiaMigParser.MigInstance> instances = migs.getOrDefault(gpu.index(), List.of());
            if (instances.isEmpty()) {
                devices.add(place == null ? gpu : gpu.withTopology(place.numaNode(), place.links()));
                continue;
            }
            for (NvidiaMigParser.MigInstance mig : instances) {
                devices.add(new Device("GPU", NvidiaSmiParser.VENDOR, mig.profile(), mig.nominalMemoryMb(), nextIndex++, mig.uuid())
                        .withTopology(place == null ? null : place.numaNode(), Map.of()));
            }
        }
        devices.sort(java.util.Comparator.comparingInt(Device::index));
        return devices;
    }

    List<String> command(List<String> arguments) {
        return Stream.concat(Stream.of(executable), arguments.stream()).toList();
    }

    ToolRunner tools() {
        return tools;
    }
}
