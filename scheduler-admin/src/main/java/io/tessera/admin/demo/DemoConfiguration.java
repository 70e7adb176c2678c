package io.tessera.admin.demo;

import io.tessera.admin.config.ClusterSecret;
import io.tessera.admin.config.EmbeddedZooKeeper;
import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.engine.JobService;
import io.tessera.admin.engine.RunService;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.JobStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/** Wires the demo in when {@link DemoMode} is on; nothing of it exists otherwise. */
@Configuration(proxyBeanMethods = false)
@Conditional(DemoMode.class)
public class DemoConfiguration {

    /** Depends on Curator (and so on the embedded server): the agent stops before ZooKeeper does. */
    @Bean(destroyMethod = "close")
    @DependsOn("curatorFramework")
    DemoLauncher demoLauncher(TesseraProperties properties, ClusterSecret secret, ObjectProvider<EmbeddedZooKeeper> embedded,
                              ApiTokenStore tokens, JobStore jobs, JobService jobService, RunService runService) {
        EmbeddedZooKeeper server = embedded.getIfAvailable();
        String connect = server != null ? server.connectString() : properties.zookeeper().connect();
        return new DemoLauncher(properties, secret.value(), connect, tokens, jobs, jobService, runService);
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> startDemoWhenReady(DemoLauncher launcher) {
        return event -> launcher.start(event.getApplicationContext().getEnvironment().getProperty("local.server.port",
                Integer.class, 8080));
    }
}
