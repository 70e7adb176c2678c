package io.tessera.admin.overview;

import io.tessera.admin.overview.ClusterOverview.ExecutorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Remembers how many devices of each kind were busy, every {@code interval}, for the last
 * {@code retention}: the dashboard's utilisation over time. In memory and per admin (every admin
 * samples, so any admin's dashboard has the history; it starts empty after a restart).
 */
public final class DeviceUsageSampler implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(DeviceUsageSampler.class);

    /** The devices of each kind at one moment. */
    public record Sample(Instant at, Map<String, DeviceCount> byKind) {
        public Sample {
            byKind = Map.copyOf(byKind);
        }
    }

    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final Supplier<List<ExecutorState>> executors;
    private final Duration interval;
    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<Sample> samples;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "tessera-device-sampler");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param executors where the devices' state comes from (e.g. {@link ClusterOverview#executors()})
     * @param retention how far back samples are kept; the oldest is dropped when a new one comes in
     */
    public DeviceUsageSampler(Supplier<List<ExecutorState>> executors, Duration interval, Duration retention, Clock clock) {
        if (interval.isNegative() || interval.isZero() || retention.compareTo(interval) < 0) {
            throw new IllegalArgumentException("the interval must be positive and not longer than the retention, were "
                    + interval + " and " + retention);
        }
        this.executors = executors;
        this.interval = interval;
        this.capacity = (int) Math.min(100_000, retention.toMillis() / interval.toMillis());
        this.clock = clock;
        this.samples = new ArrayDeque<>(capacity);
    }

    /** Takes the first sample at once, then one every interval. */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("already started or closed");
        }
        timer.scheduleWithFixedDelay(this::sampleSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Duration interval() {
        return interval;
    }

    /** The samples kept, oldest first. */
    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void sampleSafely() {
        try {
            record(new Sample(clock.instant(), DeviceCount.byKind(executors.get())));
        } catch (RuntimeException e) {
            log.warn("Sampling device usage failed; trying again in {}", interval, e);
        }
    }

    private synchronized void record(Sample sample) {
        if (samples.size() == capacity) {
            samples.removeFirst();
        }
        samples.addLast(sample);
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("The device sampler did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
