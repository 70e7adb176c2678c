package io.tessera.executor.device;

import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the detected NVIDIA GPUs' health and use every interval, on its own named thread, and puts
 * them on the devices of the {@link DeviceInventory}. When anything changed the listener hears it
 * (the agent re-publishes its card); a device that turns unhealthy is named to it separately (the
 * agent tells the shards running on it).
 *
 * <p>A GPU's health is what {@code nvidia-smi} last said of it (uncorrectable ECC errors, pending
 * repairs) together with the broken-GPU Xids the kernel log holds for it ({@link NvidiaXidParser}),
 * tied to the GPU by its PCI bus id. A MIG instance has the health of the GPU it is carved from:
 * neither source tells instances apart, and a broken GPU breaks all of them. Its use is not
 * measured ({@code nvidia-smi} reports none in MIG mode, and the GPU's is not the instance's).
 * Declared devices are left as they are: nothing ties them to what the tools report.
 */
public final class DeviceHealthMonitor implements Closeable {

    /** Hears what changed; called on the monitor's thread. */
    public interface Listener {
        /** True when the change was published; otherwise the next reading offers it again. */
        boolean devicesChanged(List<Device> devices);

        void turnedUnhealthy(Device device);
    }

    private static final Logger log = LoggerFactory.getLogger(DeviceHealthMonitor.class);

    private final DeviceInventory inventory;
    private final NvidiaSampler sampler;
    private final KernelLog kernelLog;
    private final Duration interval;
    private final Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held by one reading at a time (the timer's, or a test's); the state below is the readings'. */
    private final Object reading = new Object();
    private volatile boolean unpublished;
    private ScheduledExecutorService timer;
    /** What nvidia-smi last said of each GPU, by index (null: fine); a GPU it stopped listing keeps its last word. */
    private final Map<Integer, String> smiHealth = new HashMap<>();
    /** The broken-GPU Xids of the last kernel-log reading, by GPU index. */
    private Map<Integer, String> xidHealth = Map.of();
    /** GPU index by PCI bus id; null until nvidia-smi gave them. */
    private Map<String, Integer> busIds;
    private boolean busIdsMissingSaid;
    private final Set<String> unknownBusIdsSaid = new LinkedHashSet<>();
    /** GPU index by MIG instance UUID; null until nvidia-smi -L gave them. */
    private Map<String, Integer> migParents;
    private boolean migParentsMissingSaid;

    public DeviceHealthMonitor(DeviceInventory inventory, NvidiaSampler sampler, Duration interval, Listener listener) {
        this(inventory, sampler, KernelLog.off(), interval, listener);
    }

    public DeviceHealthMonitor(DeviceInventory inventory, NvidiaSampler sampler, KernelLog kernelLog, Duration interval,
                               Listener listener) {
        this.inventory = inventory;
        this.sampler = sampler;
        this.kernelLog = kernelLog;
        this.interval = interval;
        this.listener = listener;
    }

    /** Reads at once and then every interval; does nothing when the interval is zero or no NVIDIA GPU was detected. */
    public synchronized void start() {
        if (interval.isZero() || closed.get() || timer != null || inventory.devices().stream().noneMatch(d -> sampled(d) || migInstance(d))) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tessera-device-health");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::checkSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.error("reading GPU health failed; trying again in {}", interval, e);
        }
    }

    /** One reading; public for tests and for a first reading at start. */
    public void check() {
        synchronized (reading) {
            read();
        }
    }

    private void read() {
        sampler.health().ifPresent(smiHealth::putAll);
        Optional<Map<Integer, NvidiaUsageParser.Usage>> usage = sampler.usage();
        readKernelLog();
        Map<String, Integer> parents = migParents();
        List<Device> before = inventory.devices();
        boolean changed = inventory.update(device -> {
            if (migInstance(device)) {
                Integer parent = parents.get(device.uuid());
                if (parent == null) {
                    return device;
                }
                String problem = healthOf(parent);
                return device.withHealth(problem == null ? null : "GPU " + parent + " it is carved from: " + problem);
            }
            if (!sampled(device)) {
                return device;
            }
            NvidiaUsageParser.Usage measured = usage.map(u -> u.get(device.index())).orElse(null);
            return device.withHealth(healthOf(device.index())).withUsage(measured == null ? null : measured.utilizationPercent(),
                    measured == null ? null : measured.memoryUsedMb());
        });
        List<Device> after = inventory.devices();
        if (!changed) {
            if (unpublished) {
                unpublished = !listener.devicesChanged(after);
            }
            return;
        }
        for (int i = 0; i < after.size(); i++) {
            Device was = before.get(i);
            Device now = after.get(i);
            if (was.healthy() && !now.healthy()) {
                log.warn("{} {} is unhealthy: {}. No new shards are placed on it", DeviceId.of(now), now.model(), now.health());
                listener.turnedUnhealthy(now);
            } else if (!was.healthy() && now.healthy()) {
                log.info("{} {} is healthy again", DeviceId.of(now), now.model());
            }
        }
        unpublished = !listener.devicesChanged(after);
    }

    private String healthOf(int gpu) {
        List<String> problems = new ArrayList<>();
        if (smiHealth.get(gpu) != null) {
            problems.add(smiHealth.get(gpu));
        }
        if (xidHealth.get(gpu) != null) {
            problems.add(xidHealth.get(gpu));
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** Reads the broken-GPU Xids of the kernel log into {@link #xidHealth}; leaves it as it was when the log cannot be read. */
    private void readKernelLog() {
        if (!kernelLog.enabled()) {
            return;
        }
        Optional<String> text = kernelLog.read();
        if (text.isEmpty()) {
            return;
        }
        List<NvidiaXidParser.XidEvent> broken = NvidiaXidParser.parse(text.get()).stream()
                .filter(event -> NvidiaXidParser.fatal(event.xid())).toList();
        if (broken.isEmpty()) {
            xidHealth = Map.of();
            return;
        }
        Map<String, Integer> gpus = busIds();
        if (gpus == null) {
            return;
        }
        Map<Integer, Set<Integer>> xidsByGpu = new HashMap<>();
        for (NvidiaXidParser.XidEvent event : broken) {
            Integer gpu = gpus.get(event.busId());
            if (gpu == null) {
                if (unknownBusIdsSaid.add(event.busId())) {
                    log.info("the kernel log has Xid {} for PCI {}, which is none of this agent's GPUs ({}); ignored",
                            event.xid(), event.busId(), gpus.keySet());
                }
                continue;
            }
            xidsByGpu.computeIfAbsent(gpu, g -> new LinkedHashSet<>()).add(event.xid());
        }
        Map<Integer, String> next = new HashMap<>();
        xidsByGpu.forEach((gpu, xids) -> next.put(gpu, String.join("; ", xids.stream().map(NvidiaXidParser::describe).toList())));
        xidHealth = next;
    }

    private Map<String, Integer> busIds() {
        if (busIds == null) {
            ToolRunner.Result answer = sampler.busIds();
            Map<String, Integer> parsed = answer.value().map(NvidiaSampler::parseBusIds).orElse(Map.of());
            if (parsed.isEmpty()) {
                if (!busIdsMissingSaid) {
                    log.warn("the kernel log has Xid reports of broken GPUs, but nvidia-smi did not give the GPUs' PCI bus ids ({});"
                            + " they cannot be tied to a GPU until it does", answer.failure() == null ? "no GPU listed" : answer.failure());
                    busIdsMissingSaid = true;
                }
                return null;
            }
            busIds = parsed;
        }
        return busIds;
    }

    /** GPU index by MIG instance UUID, asked of nvidia-smi -L once it answers; empty without MIG instances. */
    private Map<String, Integer> migParents() {
        if (migParents != null) {
            return migParents;
        }
        if (inventory.devices().stream().noneMatch(DeviceHealthMonitor::migInstance)) {
            migParents = Map.of();
            return migParents;
        }
        ToolRunner.Result answer = sampler.migInstances();
        Map<String, Integer> parsed = answer.value().map(NvidiaSampler::parseMigParents).orElse(Map.of());
        if (parsed.isEmpty()) {
            if (!migParentsMissingSaid) {
                log.warn("nvidia-smi -L did not say which GPU each MIG instance is carved from ({}); their health stays as it"
                        + " is until it does", answer.failure() == null ? "no MIG instance listed" : answer.failure());
                migParentsMissingSaid = true;
            }
            return Map.of();
        }
        migParents = parsed;
        return migParents;
    }

    private static boolean migInstance(Device device) {
        return device.vendor().equals(NvidiaSmiParser.VENDOR) && device.kind().equals("GPU")
                && device.uuid() != null && device.uuid().startsWith("MIG-");
    }

    private static boolean sampled(Device device) {
        return device.vendor().equals(NvidiaSmiParser.VENDOR) && device.kind().equals("GPU")
                && device.uuid() != null && device.uuid().startsWith("GPU-");
    }

    @Override
    public synchronized void close() {
        if (closed.getAndSet(true) || timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("the device health reader did not stop within 5 s (nvidia-smi hanging?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
