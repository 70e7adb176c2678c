package io.tessera.admin.config;

import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/** Typed configuration, the cluster secret, and the bootstrap API token. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TesseraProperties.class)
public class TesseraConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TesseraConfiguration.class);

    @Bean
    ClusterSecret clusterSecret(TesseraProperties properties) {
        return ClusterSecret.resolve(properties);
    }

    /**
     * Keeps {@code tessera.api.bootstrap-token} as the ADMIN token named {@code bootstrap}: stored
     * (hashed) once, untouched on later starts with the same value, replaced when the value changes.
     */
    @Bean
    @DependsOnDatabaseInitialization
    BootstrapToken bootstrapToken(TesseraProperties properties, ApiTokenStore tokens) {
        String token = properties.api().bootstrapToken();
        if (token == null) {
            return new BootstrapToken(Optional.empty());
        }
        Optional<ApiTokenStore.ApiToken> existing = tokens.findActive(token);
        if (existing.isPresent()) {
            return new BootstrapToken(existing);
        }
        int revoked = tokens.revokeByName(BootstrapToken.NAME);
        try {
            ApiTokenStore.ApiToken created = tokens.create(BootstrapToken.NAME, token, Role.ADMIN, "tessera.api.bootstrap-token");
            log.info("API token '{}' (ADMIN) stored from tessera.api.bootstrap-token{}", BootstrapToken.NAME,
                    revoked > 0 ? "; the previous one was revoked" : "");
            return new BootstrapToken(Optional.of(created));
        } catch (io.tessera.admin.store.DuplicateKeyException e) {
            // Another admin stored it at the same moment, or the value was stored and revoked before.
            return new BootstrapToken(tokens.findActive(token));
        }
    }

    /** The {@code bootstrap} token as stored, if one is configured. */
    public record BootstrapToken(Optional<ApiTokenStore.ApiToken> token) {
        public static final String NAME = "bootstrap";
    }
}
