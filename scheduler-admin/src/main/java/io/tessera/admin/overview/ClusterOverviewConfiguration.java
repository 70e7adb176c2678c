package io.tessera.admin.overview;

import io.tessera.admin.cluster.AdminNode;
import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.dispatch.ExecutorClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/** The cluster overview the API and the UI read, and the device sampler behind the dashboard's utilisation chart. */
@Configuration(proxyBeanMethods = false)
public class ClusterOverviewConfiguration {

    /** Often enough for an hour's chart, rare enough to cost the executors nothing. */
    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(10);
    static final Duration SAMPLE_RETENTION = Duration.ofHours(1);

    @Bean
    ClusterOverview clusterOverview(ExecutorDirectory directory, ExecutorClient client, AdminNode admin) {
        return new ClusterOverview(directory, client, admin);
    }

    @Bean(destroyMethod = "close")
    DeviceUsageSampler deviceUsageSampler(ClusterOverview overview) {
        DeviceUsageSampler sampler = new DeviceUsageSampler(overview::executors, SAMPLE_INTERVAL, SAMPLE_RETENTION,
                Clock.systemUTC());
        sampler.start();
        return sampler;
    }
}
