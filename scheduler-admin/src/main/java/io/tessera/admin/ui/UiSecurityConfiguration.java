package io.tessera.admin.ui;

import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategyConfiguration;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.security.FirstAdminUser;
import io.tessera.admin.security.LoginThrottle;
import io.tessera.admin.security.SignedInSessions;
import io.tessera.admin.security.StoredUsers;
import io.tessera.admin.security.ThrottledAuthenticationProvider;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.UserStore;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.session.HttpSessionEventPublisher;

import java.time.Clock;

/**
 * The web UI's filter chain: a session, a login form at {@code /login}, CSRF as Vaadin needs it, and
 * failed sign-ins throttled per user and address ({@link LoginThrottle}).
 * Views carry {@code @RolesAllowed}; Vaadin's navigation access control enforces them on the server.
 */
@Configuration(proxyBeanMethods = false)
@Import(VaadinAwareSecurityContextHolderStrategyConfiguration.class)
public class UiSecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService userDetailsService(UserStore users) {
        return new StoredUsers(users);
    }

    @Bean
    LoginThrottle loginThrottle(TesseraProperties properties) {
        return new LoginThrottle(properties.login(), Clock.systemUTC());
    }

    /** The form's password check, throttled per user and address; the one provider, so the user service is used through it. */
    @Bean
    AuthenticationProvider signInProvider(UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle,
                                          AuditStore audit) {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(encoder);
        return new ThrottledAuthenticationProvider(passwords, throttle, audit, Clock.systemUTC());
    }

    @Bean
    @DependsOnDatabaseInitialization
    FirstAdminUser firstAdminUser(UserStore users, PasswordEncoder encoder, TesseraProperties properties) {
        FirstAdminUser first = new FirstAdminUser(users, encoder, properties.ui());
        first.ensure();
        return first;
    }

    @Bean
    SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    /** Tells the session registry when sessions end, so it does not keep them forever. */
    @Bean
    HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }

    @Bean
    SignedInSessions signedInSessions(SessionRegistry registry) {
        return new SignedInSessions(registry);
    }

    @Bean
    @Order(3)
    SecurityFilterChain uiChain(HttpSecurity http, SessionRegistry sessions) throws Exception {
        http.authorizeHttpRequests(rules -> rules.requestMatchers("/error").permitAll());
        // Registered sessions can be ended when an admin disables a user or changes their role or password.
        http.sessionManagement(session -> session.maximumSessions(-1).sessionRegistry(sessions).expiredUrl("/login"));
        return http.with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class)).build();
    }
}
