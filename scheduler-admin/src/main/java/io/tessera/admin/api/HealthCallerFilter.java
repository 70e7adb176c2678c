package io.tessera.admin.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.admin.security.ApiPrincipal;
import io.tessera.admin.security.StoredUsers;
import io.tessera.admin.store.ApiTokenStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who asks {@code /actuator/**}: a valid bearer token makes the caller known, so that health shows
 * its details. Without a token, or with an unknown or revoked one, the caller stays anonymous and gets
 * the status only, never a 401: a load balancer must always get the status. Details matter most
 * while the database is down, when no token can be looked up; then a token this admin verified
 * within {@link #OUTAGE_GRACE} still counts (a revocation written meanwhile cannot be read anyway).
 * Health reads do not record a token's last use.
 */
public final class HealthCallerFilter extends OncePerRequestFilter {

    static final Duration OUTAGE_GRACE = Duration.ofMinutes(10);
    /** After a failed lookup the database is not asked again for this long: each try would wait for a connection. */
    private static final Duration RETRY_DATABASE_AFTER = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(HealthCallerFilter.class);

    private final ApiTokenStore tokens;
    private final Clock clock;
    private final SecurityContextHolderStrategy contexts;
    /** Verified tokens by their hash, never the tokens themselves. */
    private final Cache<String, ApiPrincipal> verified = Caffeine.newBuilder()
            .maximumSize(1_000).expireAfterWrite(OUTAGE_GRACE).build();
    private volatile Instant databaseFailedAt = Instant.MIN;

    public HealthCallerFilter(ApiTokenStore tokens, Clock clock, SecurityContextHolderStrategy contexts) {
        this.tokens = tokens;
        this.clock = clock;
        this.contexts = contexts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> bearer = BearerTokenFilter.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (bearer.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiPrincipal> caller = caller(bearer.get());
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        var context = contexts.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(caller.get(), null,
                StoredUsers.authorities(caller.get().role())));
        contexts.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            contexts.clearContext();
        }
    }

    private Optional<ApiPrincipal> caller(String token) {
        String hash = ApiTokenStore.hash(token);
        Instant now = clock.instant();
        if (now.isBefore(databaseFailedAt.plus(RETRY_DATABASE_AFTER))) {
            return Optional.ofNullable(verified.getIfPresent(hash));
        }
        try {
            Optional<ApiPrincipal> found = tokens.findActive(token)
                    .map(t -> new ApiPrincipal(t.id(), t.name(), t.role()));
            found.ifPresentOrElse(principal -> verified.put(hash, principal), () -> verified.invalidate(hash));
            return found;
        } catch (DataAccessException e) {
            // The database's own health component reports the outage; here it only decides who sees details.
            databaseFailedAt = now;
            log.debug("cannot look up a health caller's token ({}); using the tokens verified in the last {}",
                    e.toString(), OUTAGE_GRACE);
            return Optional.ofNullable(verified.getIfPresent(hash));
        }
    }
}
