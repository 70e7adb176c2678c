package io.tessera.admin.ui.access;

import com.github.mvysny.kaributesting.v10.MockAccessDeniedException;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import io.tessera.admin.security.AccessAdministration;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.UserStore;
import io.tessera.admin.ui.UiTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.List;

import static com.github.mvysny.kaributesting.v10.GridKt._getCellComponent;
import static com.github.mvysny.kaributesting.v10.GridKt._size;
import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsersViewTest extends UiTestBase {

    @Autowired
    UserStore users;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    AccessAdministration access;

    @Test
    void anAdminCreatesAUserWhoseBadInputIsShownAtTheField() {
        signIn(Role.ADMIN);
        UI.getCurrent().navigate(UsersView.class);
        String name = unique("ops");

        _click(_get(Button.class, spec -> spec.withId("user-new")));
        _setValue(_get(TextField.class, spec -> spec.withId("new-user-name")), name);
        _setValue(_get(PasswordField.class, spec -> spec.withId("new-user-password")), "short");
        _click(_get(Button.class, spec -> spec.withId("new-user-save")));
        PasswordField password = _get(PasswordField.class, spec -> spec.withId("new-user-password"));
        assertThat(password.isInvalid()).isTrue();
        assertThat(password.getErrorMessage()).contains("at least 8 characters");
        assertThat(users.findByName(name)).isEmpty();

        _setValue(password, "a-long-enough-password");
        @SuppressWarnings("unchecked")
        Select<Role> role = _get(Select.class, spec -> spec.withId("new-user-role"));
        _setValue(role, Role.OPERATOR);
        _click(_get(Button.class, spec -> spec.withId("new-user-save")));

        UserStore.User stored = users.findByName(name).orElseThrow();
        assertThat(stored.role()).isEqualTo(Role.OPERATOR);
        assertThat(encoder.matches("a-long-enough-password", stored.passwordHash())).isTrue();

        _click(_get(Button.class, spec -> spec.withId("user-new")));
        _setValue(_get(TextField.class, spec -> spec.withId("new-user-name")), name);
        _setValue(_get(PasswordField.class, spec -> spec.withId("new-user-password")), "another-password");
        _click(_get(Button.class, spec -> spec.withId("new-user-save")));
        assertThat(_get(TextField.class, spec -> spec.withId("new-user-name")).getErrorMessage()).contains("exists already");
    }

    @Test
    void aTokenIsShownOnceWorksAndStopsWorkingWhenRotatedOrRevoked() {
        signIn(Role.ADMIN);
        UI.getCurrent().navigate(UsersView.class);
        String name = unique("ci");

        _click(_get(Button.class, spec -> spec.withId("token-new")));
        _setValue(_get(TextField.class, spec -> spec.withId("new-token-name")), name);
        _click(_get(Button.class, spec -> spec.withId("new-token-save")));
        String first = _get(TextField.class, spec -> spec.withId("issued-secret")).getValue();
        assertThat(first).startsWith("tsr_");
        assertThat(api.get("/api/v1/jobs", first).status()).isEqualTo(200);
        _click(_get(Button.class, spec -> spec.withId("issued-secret-close")));

        ApiTokenStore.ApiToken token = tokenStore.findActive(first).orElseThrow();
        assertThat(token.role()).isEqualTo(Role.OPERATOR);
        confirm(tokenAction(token, "token-rotate-"));
        String second = _get(TextField.class, spec -> spec.withId("issued-secret")).getValue();
        assertThat(second).isNotEqualTo(first);
        assertThat(api.get("/api/v1/jobs", first).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/jobs", second).status()).isEqualTo(200);
        _click(_get(Button.class, spec -> spec.withId("issued-secret-close")));

        confirm(tokenAction(tokenStore.findActive(second).orElseThrow(), "token-revoke-"));
        assertThat(api.get("/api/v1/jobs", second).status()).isEqualTo(401);
    }

    @Test
    void aDisabledUserCannotSignInAndAResetPasswordReplacesTheOldOne() {
        String name = unique("leaver");
        UserStore.User created = access.createUser(name, Role.VIEWER, "first-password", "test");
        signIn(Role.ADMIN);
        UI.getCurrent().navigate(UsersView.class);

        _click(userAction(name, "user-toggle-"));
        assertThat(users.find(created.id()).orElseThrow().enabled()).isFalse();

        confirm(userAction(name, "user-reset-"));
        String generated = _get(TextField.class, spec -> spec.withId("issued-secret")).getValue();
        String hash = users.find(created.id()).orElseThrow().passwordHash();
        assertThat(encoder.matches(generated, hash)).isTrue();
        assertThat(encoder.matches("first-password", hash)).isFalse();
    }

    @Test
    void theLastEnabledAdminCannotBeDisabledOrDemoted() {
        List<UserStore.User> admins = users.list().stream().filter(u -> u.role() == Role.ADMIN && u.enabled()).toList();
        assertThat(admins).hasSize(1);
        long id = admins.get(0).id();
        assertThatThrownBy(() -> access.setRole(id, Role.VIEWER, "someone-else"))
                .isInstanceOf(AccessAdministration.RefusedException.class).hasMessageContaining("only enabled ADMIN");
        assertThatThrownBy(() -> access.setEnabled(id, false, "someone-else"))
                .isInstanceOf(AccessAdministration.RefusedException.class);
        assertThat(users.find(id).orElseThrow().role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void operatorsAndViewersAreRefusedTheView() {
        for (Role role : List.of(Role.OPERATOR, Role.VIEWER)) {
            signIn(role);
            try {
                UI.getCurrent().navigate(UsersView.class);
            } catch (MockAccessDeniedException refused) {
                // Karibu's stand-in for the browser's error page: refused, as it should be.
            }
            assertThat(UI.getCurrent().getInternals().getActiveRouterTargetsChain())
                    .as(role.name()).noneMatch(UsersView.class::isInstance);
        }
    }

    private static Button userAction(String name, String idPrefix) {
        @SuppressWarnings("unchecked")
        Grid<UserStore.User> grid = _get(Grid.class, spec -> spec.withId("users-grid"));
        for (int row = 0; row < _size(grid); row++) {
            HorizontalLayout actions = (HorizontalLayout) _getCellComponent(grid, row, "actions");
            Button found = (Button) actions.getChildren()
                    .filter(c -> c.getId().orElse("").equals(idPrefix + name)).findFirst().orElse(null);
            if (found != null) {
                return found;
            }
        }
        throw new AssertionError("no " + idPrefix + name + " in the users grid");
    }

    private static Button tokenAction(ApiTokenStore.ApiToken token, String idPrefix) {
        @SuppressWarnings("unchecked")
        Grid<ApiTokenStore.ApiToken> grid = _get(Grid.class, spec -> spec.withId("tokens-grid"));
        for (int row = 0; row < _size(grid); row++) {
            if (_getCellComponent(grid, row, "actions") instanceof HorizontalLayout actions) {
                Button found = (Button) actions.getChildren()
                        .filter(c -> c.getId().orElse("").equals(idPrefix + token.id())).findFirst().orElse(null);
                if (found != null) {
                    return found;
                }
            }
        }
        throw new AssertionError("no " + idPrefix + token.id() + " in the tokens grid");
    }

    private static void confirm(Button action) {
        _click(action);
        ConfirmDialog dialog = _get(ConfirmDialog.class, spec -> spec.withId("access-confirm"));
        ComponentUtil.fireEvent(dialog, new ConfirmDialog.ConfirmEvent(dialog, false));
        dialog.close();
    }
}
