package io.tessera.admin.config;

import io.tessera.core.zk.OpenNodes;
import io.tessera.core.zk.ZkAccess;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.concurrent.TimeUnit;

/**
 * ZooKeeper for the admin: the embedded server when {@code tessera.zookeeper.connect} is empty, and
 * one started {@link CuratorFramework} (namespace, session timeout and retries from configuration),
 * authenticated with the cluster's ZooKeeper credentials ({@link ZkAccess}): every node it makes can
 * be read or changed only with them.
 * The Curator bean depends on the embedded server, so the server starts first and stops last.
 */
@Configuration(proxyBeanMethods = false)
public class ZooKeeperConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperConfiguration.class);

    @Bean(destroyMethod = "close")
    @Conditional(NoEnsembleConfigured.class)
    EmbeddedZooKeeper embeddedZooKeeper(TesseraProperties properties) {
        EmbeddedZooKeeper server = new EmbeddedZooKeeper(properties.zookeeper().embeddedBindAddress(),
                properties.zookeeper().embeddedPort(), properties.dataDir().resolve("zookeeper"));
        server.start();
        return server;
    }

    @Bean(destroyMethod = "close")
    CuratorFramework curatorFramework(TesseraProperties properties, ClusterSecret secret,
                                      ObjectProvider<EmbeddedZooKeeper> embedded) throws Exception {
        TesseraProperties.ZooKeeper zk = properties.zookeeper();
        EmbeddedZooKeeper server = embedded.getIfAvailable();
        String connect = server != null ? server.connectString() : zk.connect();
        ZkAccess access = ZkAccess.of("tessera.zookeeper.auth", zk.auth(), secret.value());
        CuratorFramework curator = access.apply(CuratorFrameworkFactory.builder())
                .connectString(connect)
                .namespace(zk.namespace())
                .sessionTimeoutMs(Math.toIntExact(zk.sessionTimeout().toMillis()))
                .connectionTimeoutMs(Math.toIntExact(zk.connectionTimeout().toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(1000, 10, 30_000))
                .build();
        curator.start();
        if (curator.blockUntilConnected(Math.toIntExact(zk.connectionTimeout().toMillis()), TimeUnit.MILLISECONDS)) {
            log.info("Connected to ZooKeeper at {} (namespace /{}, digest user {}, {})", connect, zk.namespace(),
                    access.user(), zk.auth().isEmpty() ? "password derived from the cluster secret"
                            : "from tessera.zookeeper.auth");
            secureExistingNodes(curator, access, zk.namespace());
        } else {
            // Not fatal: Curator keeps trying, and the health endpoint says DOWN until it connects.
            log.warn("Not connected to ZooKeeper at {} after {}; still trying (check tessera.zookeeper.connect)",
                    connect, zk.connectionTimeout());
        }
        return curator;
    }

    /**
     * Nodes made before Tessera set ACLs (an upgrade) are open to anyone: they get the cluster's ACL
     * now. A cheap check when there is nothing to do (the namespace's node already has it).
     */
    private static void secureExistingNodes(CuratorFramework curator, ZkAccess access, String namespace) throws Exception {
        try {
            int changed = OpenNodes.secure(curator, access);
            if (changed > 0) {
                log.warn("ZooKeeper: {} node(s) under /{} were open to anyone (made before Tessera used ACLs);"
                        + " they now need the cluster's credentials", changed, namespace);
            }
        } catch (KeeperException.NoAuthException e) {
            throw new IllegalStateException("ZooKeeper node " + e.getPath() + " under /" + namespace + " belongs to other"
                    + " credentials than this admin's (user " + access.user() + "). Were the cluster secret or"
                    + " tessera.zookeeper.auth changed? Start with the credentials the cluster's nodes were made with"
                    + " (see README, ZooKeeper access), or use another tessera.zookeeper.namespace", e);
        }
    }

    /** {@code zookeeper} in /actuator/health: UP while Curator is connected. */
    @Bean
    HealthIndicator zookeeperHealthIndicator(CuratorFramework curator, TesseraProperties properties,
                                             ObjectProvider<EmbeddedZooKeeper> embedded) {
        return () -> {
            Health.Builder health = curator.getZookeeperClient().isConnected() ? Health.up() : Health.down();
            EmbeddedZooKeeper server = embedded.getIfAvailable();
            return health.withDetail("connect", server != null ? server.connectString() : properties.zookeeper().connect())
                    .withDetail("namespace", properties.zookeeper().namespace())
                    .withDetail("embedded", server != null)
                    .build();
        };
    }

    static final class NoEnsembleConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String connect = context.getEnvironment().getProperty("tessera.zookeeper.connect", "");
            return connect.isBlank();
        }
    }
}
