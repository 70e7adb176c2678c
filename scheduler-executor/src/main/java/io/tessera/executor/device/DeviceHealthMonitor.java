package io.tessera.executor.device;

import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the detected NVIDIA GPUs' health and use every interval, on its own named thread, and puts
 * them on the devices of the {@link DeviceInventory}. When anything changed the listener hears it
 * (the agent re-publishes its card); a device that turns unhealthy is named to it separately (the
 * agent tells the shards running on it). MIG instances and declared devices are left as they are:
 * the queries report physical GPUs only.
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
    private final Duration interval;
    private final Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean unpublished;
    private ScheduledExecutorService timer;

    public DeviceHealthMonitor(DeviceInventory inventory, NvidiaSampler sampler, Duration interval, Listener listener) {
        this.inventory = inventory;
        this.sampler = sampler;
        this.interval = interval;
        this.listener = listener;
    }

    /** Reads at once and then every interval; does nothing when the interval is zero or no NVIDIA GPU was detected. */
    public synchronized void start() {
        if (interval.isZero() || closed.get() || timer != null || inventory.devices().stream().noneMatch(DeviceHealthMonitor::sampled)) {
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
        Optional<Map<Integer, String>> health = sampler.health();
        Optional<Map<Integer, NvidiaUsageParser.Usage>> usage = sampler.usage();
        List<Device> before = inventory.devices();
        boolean changed = inventory.update(device -> {
            if (!sampled(device)) {
                return device;
            }
            Device next = device;
            if (health.isPresent() && health.get().containsKey(device.index())) {
                next = next.withHealth(health.get().get(device.index()));
            }
            NvidiaUsageParser.Usage measured = usage.map(u -> u.get(device.index())).orElse(null);
            return next.withUsage(measured == null ? null : measured.utilizationPercent(),
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
