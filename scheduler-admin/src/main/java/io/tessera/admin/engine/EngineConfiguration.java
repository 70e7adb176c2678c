package io.tessera.admin.engine;

import io.tessera.admin.cluster.AdminNode;
import io.tessera.admin.cluster.ClusterSignals;
import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.admin.config.ClusterSecret;
import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.dispatch.AdminTls;
import io.tessera.admin.dispatch.ExecutorClient;
import io.tessera.admin.record.ResultRecorder;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.core.wire.RequestSigner;
import io.tessera.core.wire.WirePaths;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.ApplicationListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/** Wires the cluster membership, the election and the scheduling engine into the admin. */
@Configuration(proxyBeanMethods = false)
public class EngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean
    RequestSigner requestSigner(ClusterSecret secret, TesseraProperties properties) {
        return new RequestSigner(secret.value(), properties.clusterPreviousSecret(), Clock.systemUTC(),
                RequestSigner.DEFAULT_MAX_SKEW);
    }

    @Bean(destroyMethod = "close")
    ExecutorDirectory executorDirectory(CuratorFramework zookeeper) {
        ExecutorDirectory directory = new ExecutorDirectory(zookeeper);
        directory.start();
        return directory;
    }

    @Bean(destroyMethod = "close")
    ClusterSignals clusterSignals(CuratorFramework zookeeper) {
        return new ClusterSignals(zookeeper);
    }

    @Bean(destroyMethod = "close")
    ExecutorClient executorClient(RequestSigner signer, TesseraProperties properties, ExecutorDirectory directory) {
        TesseraProperties.Tls tls = properties.tls();
        return new ExecutorClient(signer, properties.engine().dispatchTimeout(),
                AdminTls.clientContext(tls.trustCa(), tls.clientCert(), tls.clientKey()), directory::schemeAt);
    }

    @Bean
    EngineHealth engineHealth() {
        return new EngineHealth();
    }

    /** This admin's base URL once its HTTP port is known. */
    @Bean
    AdminUrl adminUrl() {
        return new AdminUrl();
    }

    @Bean(destroyMethod = "close")
    SchedulingEngine schedulingEngine(JobStore jobs, RunStore runs, ExecutorDirectory directory, ExecutorClient executors,
                                      CuratorFramework zookeeper, TesseraProperties properties, EngineHealth health,
                                      AdminUrl adminUrl, ObjectProvider<Clock> engineClock) {
        TesseraProperties.Engine engine = properties.engine();
        EngineSettings settings = new EngineSettings(engine.lookAhead(), engine.tick(), engine.misfireThreshold(),
                engine.catchUpLimit(), engine.placement(), engine.dispatchTimeout(), engine.dispatchLead(),
                engine.dispatchLeadPerShard(), engine.maxBatchesInFlight(), engine.finishedRunRetention(),
                engine.reconcileInterval(), engine.retryBackoff(), engine.rendezvousBasePort(), engine.rendezvousPortCount(),
                properties.queueQuotas());
        // A test may give the engine a clock of its own; a running admin has none and uses UTC.
        return new SchedulingEngine(jobs, runs, directory, executors, zookeeper, settings, health,
                engineClock.getIfAvailable(Clock::systemUTC),
                () -> adminUrl.get() + WirePaths.RESULTS);
    }

    @Bean
    ResultIntake resultIntake(RunStore runs, SchedulingEngine engine, ClusterSignals signals) {
        return new ResultIntake(new ResultRecorder(runs), engine, signals);
    }

    @Bean
    RunService runService(JobStore jobs, RunStore runs, SchedulingEngine engine, ClusterSignals signals,
                          ExecutorDirectory directory) {
        return new RunService(jobs, runs, engine, signals, directory, Clock.systemUTC());
    }

    @Bean
    JobService jobService(JobStore jobs, io.tessera.admin.store.AuditStore audit, ClusterSignals signals) {
        return new JobService(jobs, audit, signals, Clock.systemUTC());
    }

    /** Joins the cluster only once the database and ZooKeeper are known to belong to the same one. */
    @Bean(destroyMethod = "close")
    @DependsOn("clusterIdentity")
    AdminNode adminNode(CuratorFramework zookeeper, ClusterSignals signals, SchedulingEngine engine,
                        TesseraProperties properties) {
        AdminNode node = new AdminNode(zookeeper, signals, engine, properties.engine().adminId(), version());
        engine.health().addListener(status -> node.engineChanged(status.mode().name(), status.reason()));
        return node;
    }

    /** Joins the cluster once the web server listens: executors report to this admin's port. */
    @Bean
    ApplicationListener<WebServerInitializedEvent> joinClusterWhenServing(AdminNode node, AdminUrl adminUrl,
                                                                          TesseraProperties properties,
                                                                          ObjectProvider<ServerProperties> server) {
        return event -> {
            if (event.getApplicationContext().getServerNamespace() != null) {
                return;
            }
            String host = properties.advertisedHost() != null ? properties.advertisedHost() : localAddress();
            ServerProperties web = server.getIfAvailable();
            String scheme = web != null && Ssl.isEnabled(web.getSsl()) ? "https" : "http";
            String url = scheme + "://" + host + ":" + event.getWebServer().getPort();
            adminUrl.set(url);
            try {
                node.start(url);
            } catch (Exception e) {
                throw new IllegalStateException("cannot join the cluster: " + e.getMessage(), e);
            }
        };
    }

    /** The health status of an engine that schedules but falls behind; answered with HTTP 200, ranked below DOWN. */
    public static final Status OVERLOADED = new Status("OVERLOADED", "scheduling, but behind: fires start late or work queues up");

    /**
     * {@code engine} in /actuator/health: UP while following or scheduling, OVERLOADED while it falls
     * behind (the reason gives the queue depths), OUT_OF_SERVICE while paused, with why.
     */
    @Bean
    HealthIndicator engineHealthIndicator(EngineHealth health, AdminNode node) {
        return () -> {
            EngineHealth.Status status = health.status();
            Health.Builder builder = switch (status.mode()) {
                case PAUSED -> Health.outOfService();
                case OVERLOADED -> Health.status(OVERLOADED);
                default -> Health.up();
            };
            return builder.withDetail("mode", status.mode())
                    .withDetail("reason", status.reason())
                    .withDetail("since", status.since().toString())
                    .withDetail("adminId", node.adminId())
                    .withDetail("leader", node.leaderId().orElse("none"))
                    .build();
        };
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            log.warn("Cannot tell this machine's address ({}); advertising 127.0.0.1. Set tessera.advertised-host.", e.getMessage());
            return "127.0.0.1";
        }
    }

    private static String version() {
        String version = EngineConfiguration.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Holds this admin's base URL ({@code http://host:port}, or https with {@code server.ssl}) once known. */
    public static final class AdminUrl {
        private final AtomicReference<String> url = new AtomicReference<>("http://127.0.0.1:8080");

        public String get() {
            return url.get();
        }

        void set(String value) {
            url.set(value);
        }
    }
}
