package io.tessera.admin.config;

import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.ClusterIdentityStore;
import io.tessera.admin.store.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/** Typed configuration, the cluster secret, the cluster identity, and the bootstrap API token. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TesseraProperties.class, ClusterProperties.class})
public class TesseraConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TesseraConfiguration.class);

    @Bean
    ClusterSecret clusterSecret(TesseraProperties properties) {
        return ClusterSecret.resolve(properties);
    }

    /**
     * The cluster this admin's database and ZooKeeper both belong to, checked once the schema is
     * migrated and before anything records a run: a mismatch stops the start (see {@link ClusterBinding}).
     */
    @Bean
    @DependsOnDatabaseInitialization
    ClusterIdentity clusterIdentity(CuratorFramework zookeeper, ClusterIdentityStore store, TesseraProperties properties,
                                    ClusterProperties cluster, ObjectProvider<EmbeddedZooKeeper> embedded,
                                    Environment environment) throws Exception {
        EmbeddedZooKeeper server = embedded.getIfAvailable();
        ClusterBinding.Where where = new ClusterBinding.Where(
                server != null ? server.connectString() : properties.zookeeper().connect(),
                properties.zookeeper().namespace(),
                withoutOptions(environment.getProperty("spring.datasource.url", "the configured database")),
                server != null ? server.baseDir() : null);
        return new ClusterIdentity(new ClusterBinding(zookeeper, store, cluster.adoptId(), where,
                properties.zookeeper().connectionTimeout()).bind());
    }

    /** A JDBC URL up to its options, which may hold credentials. */
    static String withoutOptions(String url) {
        int options = url.length();
        for (char separator : new char[]{'?', ';'}) {
            int at = url.indexOf(separator);
            if (at >= 0) {
                options = Math.min(options, at);
            }
        }
        return url.substring(0, options);
    }

    /** The id of the cluster this admin belongs to, as its database and ZooKeeper both hold it. */
    public record ClusterIdentity(String clusterId) {
    }

    @Bean
    @DependsOnDatabaseInitialization
    BootstrapToken bootstrapToken(TesseraProperties properties, ApiTokenStore tokens) {
        String token = properties.api().bootstrapToken();
        return new BootstrapToken(token == null ? Optional.empty() : keepBootstrapToken(token, tokens));
    }

    /**
     * Keeps {@code token} as the ADMIN token named {@code bootstrap}: stored (hashed) once, untouched
     * on later starts with the same value, and the other {@code bootstrap} tokens revoked when the
     * value changes. Stores first and revokes the others after, so admins starting together with the
     * same value never revoke the one another of them just stored.
     */
    static Optional<ApiTokenStore.ApiToken> keepBootstrapToken(String token, ApiTokenStore tokens) {
        Optional<ApiTokenStore.ApiToken> kept = tokens.findActive(token);
        if (kept.isEmpty()) {
            try {
                kept = Optional.of(tokens.create(BootstrapToken.NAME, token, Role.ADMIN, "tessera.api.bootstrap-token"));
                log.info("API token '{}' (ADMIN) stored from tessera.api.bootstrap-token", BootstrapToken.NAME);
            } catch (io.tessera.admin.store.DuplicateKeyException e) {
                // Another admin stored it at the same moment, or this value was stored and revoked before.
                kept = tokens.findActive(token);
                if (kept.isEmpty()) {
                    log.warn("tessera.api.bootstrap-token was revoked earlier and stays revoked; configure a new value");
                    return kept;
                }
            }
        }
        long keptId = kept.get().id();
        for (ApiTokenStore.ApiToken other : tokens.list()) {
            if (other.name().equals(BootstrapToken.NAME) && !other.revoked() && other.id() != keptId && tokens.revoke(other.id())) {
                log.info("API token '{}' with the previous value of tessera.api.bootstrap-token revoked", BootstrapToken.NAME);
            }
        }
        return kept;
    }

    /** The {@code bootstrap} token as stored, if one is configured. */
    public record BootstrapToken(Optional<ApiTokenStore.ApiToken> token) {
        public static final String NAME = "bootstrap";
    }
}
