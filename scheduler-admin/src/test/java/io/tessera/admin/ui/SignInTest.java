package io.tessera.admin.ui;

import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.security.AccessAdministration;
import io.tessera.admin.security.FirstAdminUser;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.UserStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/** The login form over real HTTP against the user table, and the first admin user. */
class SignInTest extends UiTestBase {

    @Autowired
    UserStore users;
    @Autowired
    AccessAdministration access;
    @Autowired
    PasswordEncoder encoder;

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void aStoredUserSignsInAndAWrongPasswordOrADisabledUserIsRefused() throws Exception {
        String name = unique("sam");
        UserStore.User sam = access.createUser(name, Role.OPERATOR, "sams-password", "test");

        assertThat(FormLogin.signIn(base(), name, "sams-password")).doesNotContain("error");
        assertThat(FormLogin.signIn(base(), name, "not-sams-password")).endsWith("/login?error");
        assertThat(FormLogin.signIn(base(), "nobody-" + name, "sams-password")).endsWith("/login?error");

        access.setEnabled(sam.id(), false, "test");
        assertThat(FormLogin.signIn(base(), name, "sams-password")).endsWith("/login?error");
    }

    @Test
    void disablingAUserOrChangingTheirRoleEndsTheirSessionAtOnce() throws Exception {
        String name = unique("pat");
        UserStore.User pat = access.createUser(name, Role.OPERATOR, "pats-password", "test");
        FormLogin.Session first = FormLogin.session(base(), name, "pats-password");
        assertThat(first.refused()).isFalse();
        assertThat(first.get("/jobs").statusCode()).as("signed in, the page loads").isEqualTo(200);

        access.setRole(pat.id(), Role.VIEWER, "test");
        assertThat(first.get("/jobs").headers().firstValue("Location")).as("the old role's session is over")
                .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));

        FormLogin.Session second = FormLogin.session(base(), name, "pats-password");
        assertThat(second.get("/jobs").statusCode()).isEqualTo(200);
        access.setEnabled(pat.id(), false, "test");
        assertThat(second.get("/jobs").statusCode()).as("a disabled user's session is over").isEqualTo(302);
    }

    @Test
    void theFirstStartCreatedAnAdminAndLaterStartsLeaveUsersAlone() {
        UserStore.User admin = users.findByName("admin").orElseThrow();
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.enabled()).isTrue();
        long before = users.count();

        new FirstAdminUser(users, encoder, new TesseraProperties.Ui("someone-else", "another-password", null)).ensure();

        assertThat(users.count()).isEqualTo(before);
        assertThat(users.findByName("someone-else")).isEmpty();
        assertThat(users.findByName("admin").orElseThrow().passwordHash()).isEqualTo(admin.passwordHash());
    }
}
