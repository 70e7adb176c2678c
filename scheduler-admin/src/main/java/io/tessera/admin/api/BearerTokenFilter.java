package io.tessera.admin.api;

import io.tessera.admin.security.ApiPrincipal;
import io.tessera.admin.security.StoredUsers;
import io.tessera.admin.store.ApiTokenStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the stored token hashes on every
 * request, so a revoked token fails at once on every admin. A request without the header goes on
 * anonymous (the authorization rules then answer 401); a malformed header or an unknown or revoked
 * token is answered 401 here. The caller gets its role and every role below it as authorities.
 */
public final class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";
    /** A token's last use is written at most this often, not on every request. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final ApiTokenStore tokens;
    private final ProblemWriter problems;
    private final Clock clock;
    private final Map<Long, Instant> touched = new ConcurrentHashMap<>();
    private final SecurityContextHolderStrategy contexts;

    /**
     * @param contexts the strategy the rest of the chain reads the authentication from (Vaadin
     *                 installs its own, so the static {@code SecurityContextHolder} is not it)
     */
    public BearerTokenFilter(ApiTokenStore tokens, ProblemWriter problems, Clock clock,
                             SecurityContextHolderStrategy contexts) {
        this.tokens = tokens;
        this.problems = problems;
        this.clock = clock;
        this.contexts = contexts;
    }

    /** The token of an {@code Authorization: Bearer <token>} header; empty for any other header, or none. */
    static Optional<String> bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || header.substring(PREFIX.length()).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(header.substring(PREFIX.length()).trim());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> bearer = bearerToken(header);
        if (bearer.isEmpty()) {
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", "Authorization",
                    "the Authorization header must be 'Bearer <token>'");
            return;
        }
        Optional<ApiTokenStore.ApiToken> token = tokens.findActive(bearer.get());
        if (token.isEmpty()) {
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", "Authorization",
                    "the token is unknown or revoked");
            return;
        }
        ApiTokenStore.ApiToken found = token.get();
        touch(found.id());
        ApiPrincipal principal = new ApiPrincipal(found.id(), found.name(), found.role());
        var authentication = UsernamePasswordAuthenticationToken.authenticated(principal, null, StoredUsers.authorities(found.role()));
        var context = contexts.createEmptyContext();
        context.setAuthentication(authentication);
        contexts.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            contexts.clearContext();
        }
    }

    private void touch(long tokenId) {
        Instant now = clock.instant();
        Instant last = touched.get(tokenId);
        if (last == null || last.plus(TOUCH_INTERVAL).isBefore(now)) {
            touched.put(tokenId, now);
            tokens.touch(tokenId, now);
        }
    }
}
