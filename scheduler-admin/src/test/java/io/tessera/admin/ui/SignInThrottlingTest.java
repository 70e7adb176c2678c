package io.tessera.admin.ui;

import io.tessera.admin.config.TestAdmin;
import io.tessera.admin.security.AccessAdministration;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.Role;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed sign-ins over real HTTP against an admin of its own (the lockouts must not touch other
 * tests' admin): a user name locks after five failures, a client address after eight, and the audit
 * log has every failure and lockout. The address test runs last: it locks out 127.0.0.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tessera.login.max-failures-per-user=5",
        "tessera.login.max-failures-per-address=8",
        "tessera.login.window=5m",
        "tessera.login.lockout=1m"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignInThrottlingTest {

    @DynamicPropertySource
    static void isolated(DynamicPropertyRegistry registry) {
        TestAdmin.isolate(registry);
    }

    @LocalServerPort
    int port;
    @Autowired
    AccessAdministration access;
    @Autowired
    AuditStore audit;

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    @Order(1)
    void afterFiveFailuresEvenTheRightPasswordIsRefusedWhileOtherUsersSignIn() throws Exception {
        access.createUser("amy", Role.OPERATOR, "amys-password", "test");
        access.createUser("bob", Role.OPERATOR, "bobs-password", "test");
        assertThat(FormLogin.session(base(), "amy", "amys-password").refused()).as("amy's password works").isFalse();

        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(FormLogin.session(base(), "amy", "guess-" + attempt).refused()).as("guess " + attempt).isTrue();
        }
        assertThat(FormLogin.session(base(), "amy", "amys-password").refused()).as("locked out: the right password too")
                .isTrue();
        assertThat(FormLogin.session(base(), "bob", "bobs-password").refused()).as("another user").isFalse();

        assertThat(entries("login.failed", "user:amy")).hasSize(5)
                .allSatisfy(entry -> assertThat(entry.detail()).startsWith("from 127.0.0.1"));
        assertThat(entries("login.locked", "user:amy")).singleElement()
                .satisfies(entry -> assertThat(entry.detail()).contains("5 failed sign-ins", "PT1M"));
    }

    @Test
    @Order(2)
    void anAddressWithTooManyFailuresIsRefusedForEveryUser() throws Exception {
        access.createUser("carl", Role.VIEWER, "carls-password", "test");
        int attempts = 0;
        while (entries("login.locked", "address:127.0.0.1").isEmpty()) {
            attempts++;
            assertThat(attempts).as("the address locks after at most 8 failures").isLessThanOrEqualTo(8);
            assertThat(FormLogin.session(base(), "nobody-" + attempts, "whatever").refused()).isTrue();
        }

        assertThat(FormLogin.session(base(), "carl", "carls-password").refused()).as("a right password from that address")
                .isTrue();
        assertThat(entries("login.failed", "user:nobody-1")).hasSize(1);
    }

    private List<AuditStore.AuditEntry> entries(String action, String target) {
        return audit.list(0, 1000).stream().filter(e -> e.action().equals(action) && target.equals(e.target())).toList();
    }
}
