package io.tessera.admin.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.core.wire.WirePaths;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.time.Clock;

/**
 * Two filter chains. {@code /api/**} is stateless and bearer-token only: VIEWER reads, OPERATOR
 * changes jobs and runs, ADMIN does everything (tokens included); a missing token is a 401 and a
 * too-weak role a 403, both as problem documents. The executor result endpoint passes without a
 * token because it checks the cluster secret's signature itself. {@code /actuator/**} is open, but
 * knows a bearer token or a signed-in UI session: only those see health details. The OpenAPI document
 * is left open by another chain; the UI signs people in with a form (third chain).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ApiSecurityConfiguration {

    @Bean
    ProblemWriter problemWriter(ObjectMapper json) {
        return new ProblemWriter(json);
    }

    /**
     * Spring Security's firewall refuses paths such as {@code //}, {@code %2e} or {@code ;}; answered as
     * a problem document naming the path, not with Boot's error page.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, e) -> problems.write(request, response, HttpStatus.BAD_REQUEST, "rejected-request",
                "path", e.getMessage());
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiTokenStore tokens, ProblemWriter problems,
                                 ObjectProvider<SecurityContextHolderStrategy> contexts) throws Exception {
        http.securityMatcher("/api/**")
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(anonymous -> { })
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerTokenFilter(tokens, problems, Clock.systemUTC(),
                        contexts.getIfAvailable(SecurityContextHolder::getContextHolderStrategy)), AuthorizationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> problems.write(request, response,
                                HttpStatus.UNAUTHORIZED, "unauthorized", "Authorization",
                                "this endpoint needs 'Authorization: Bearer <token>'"))
                        .accessDeniedHandler((request, response, e) -> problems.write(request, response,
                                HttpStatus.FORBIDDEN, "forbidden", "Authorization", "the token's role may not "
                                        + request.getMethod() + " " + request.getRequestURI())))
                .authorizeHttpRequests(rules -> rules
                        .requestMatchers(HttpMethod.POST, WirePaths.RESULTS).permitAll()
                        .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole("VIEWER")
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasRole("VIEWER")
                        .requestMatchers("/api/v1/jobs", "/api/v1/jobs/**", "/api/v1/runs/**").hasRole("OPERATOR")
                        .anyRequest().hasRole("ADMIN"));
        return http.build();
    }

    /**
     * Health is open to everyone, but a caller with a bearer token ({@link HealthCallerFilter}) or the
     * UI's session is known, so that {@code management.endpoint.health.show-details=when-authorized}
     * shows them the details. A session is read, never created.
     */
    @Bean
    @Order(2)
    SecurityFilterChain actuatorChain(HttpSecurity http, ApiTokenStore tokens,
                                      ObjectProvider<SecurityContextHolderStrategy> contexts) throws Exception {
        HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();
        sessions.setAllowSessionCreation(false);
        http.securityMatcher("/actuator/**")
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(anonymous -> { })
                .securityContext(context -> context.securityContextRepository(sessions))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .addFilterBefore(new HealthCallerFilter(tokens, Clock.systemUTC(),
                        contexts.getIfAvailable(SecurityContextHolder::getContextHolderStrategy)), AuthorizationFilter.class)
                .authorizeHttpRequests(rules -> rules.anyRequest().permitAll());
        return http.build();
    }

    /**
     * Metrics, the OpenAPI document and the ECharts webjar are open; the UI's chain
     * ({@link UiSecurityConfiguration}) takes everything else.
     */
    @Bean
    @Order(2)
    SecurityFilterChain openChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
                        "/webjars/**")
                .authorizeHttpRequests(rules -> rules.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }
}
