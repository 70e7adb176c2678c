package io.tessera.admin.overview;

import io.tessera.admin.overview.ClusterOverview.DeviceState;
import io.tessera.admin.overview.ClusterOverview.ExecutorState;
import io.tessera.admin.overview.ClusterOverview.Occupancy;
import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The sampler on its own, fed by a stand-in for the cluster, with a short interval. */
class DeviceUsageSamplerTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    @Test
    void recordsBusyAndTotalPerKindEveryIntervalAndKeepsOnlyTheRetention() {
        AtomicReference<List<ExecutorState>> cluster = new AtomicReference<>(List.of(
                executor("a", Occupancy.BUSY, Occupancy.FREE), executor("b", Occupancy.FREE, Occupancy.UNKNOWN)));
        long otherSamplers = samplerThreads(); // an admin started in this JVM by other tests has its own
        try (DeviceUsageSampler sampler = new DeviceUsageSampler(cluster::get, INTERVAL, INTERVAL.multipliedBy(4),
                Clock.systemUTC())) {
            sampler.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples().size() == 4);
            DeviceUsageSampler.Sample first = sampler.samples().get(0);
            assertThat(first.byKind()).containsOnlyKeys("GPU");
            assertThat(first.byKind().get("GPU")).isEqualTo(new DeviceCount("GPU", null, 1, 2, 1));

            cluster.set(List.of(executor("a", Occupancy.BUSY, Occupancy.BUSY)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<DeviceUsageSampler.Sample> samples = sampler.samples();
                assertThat(samples).as("the oldest are dropped").hasSize(4);
                assertThat(samples.get(3).byKind().get("GPU")).isEqualTo(new DeviceCount("GPU", null, 2, 0, 0));
                assertThat(samples.get(0).at()).isAfter(first.at());
            });
            List<DeviceUsageSampler.Sample> samples = sampler.samples();
            for (int i = 1; i < samples.size(); i++) {
                assertThat(samples.get(i).at()).as("oldest first").isAfterOrEqualTo(samples.get(i - 1).at());
            }
            assertThat(samplerThreads()).isEqualTo(otherSamplers + 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> samplerThreads() == otherSamplers);
    }

    @Test
    void aFailedLookIsSkippedAndSamplingGoesOn() {
        AtomicInteger looks = new AtomicInteger();
        try (DeviceUsageSampler sampler = new DeviceUsageSampler(() -> {
            if (looks.incrementAndGet() == 1) {
                throw new IllegalStateException("ZooKeeper is away");
            }
            return List.of(executor("a", Occupancy.FREE));
        }, INTERVAL, Duration.ofMinutes(1), Clock.systemUTC())) {
            sampler.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> sampler.samples().size() >= 2);
            assertThat(sampler.samples().get(0).byKind().get("GPU").free()).isEqualTo(1);
        }
    }

    @Test
    void closeStopsSamplingAndNoSampleComesAfter() {
        DeviceUsageSampler sampler = new DeviceUsageSampler(List::of, INTERVAL, Duration.ofMinutes(1), Clock.systemUTC());
        sampler.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !sampler.samples().isEmpty());

        sampler.close();
        int kept = sampler.samples().size();
        sampler.close();

        assertThat(sampler.samples().get(0).byKind()).as("no executors, no kinds").isEmpty();
        await().during(INTERVAL.multipliedBy(4)).atMost(Duration.ofSeconds(2)).until(() -> sampler.samples().size() == kept);
        assertThatThrownBy(sampler::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anIntervalLongerThanTheRetentionIsRefused() {
        assertThatThrownBy(() -> new DeviceUsageSampler(List::of, Duration.ofMinutes(2), Duration.ofMinutes(1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> new DeviceUsageSampler(List::of, Duration.ZERO, Duration.ofMinutes(1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    private static long samplerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("tessera-device-sampler") && thread.isAlive()).count();
    }

    static ExecutorState executor(String id, Occupancy... devices) {
        List<Device> cards = new java.util.ArrayList<>();
        List<DeviceState> states = new java.util.ArrayList<>();
        for (int i = 0; i < devices.length; i++) {
            Device device = new Device("GPU", "nvidia", "H100", 81_559, i, null);
            cards.add(device);
            states.add(new DeviceState(device, devices[i], null));
        }
        ExecutorCard card = new ExecutorCard(id, "g", id + ":7000", cards, 1, Map.of(), "test");
        boolean reachable = states.stream().noneMatch(state -> state.occupancy() == Occupancy.UNKNOWN);
        return new ExecutorState(card, states, List.of(), reachable, reachable ? null : "status request failed: test");
    }
}
