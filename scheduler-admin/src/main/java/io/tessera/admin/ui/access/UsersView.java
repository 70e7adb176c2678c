package io.tessera.admin.ui.access;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tessera.admin.security.AccessAdministration;
import io.tessera.admin.store.ApiTokenStore;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.UserStore;
import io.tessera.admin.ui.CurrentUser;
import io.tessera.admin.ui.Formats;
import jakarta.annotation.security.RolesAllowed;

/**
 * Users of the UI and tokens of the API (ADMIN only): create, disable, change role, reset a password;
 * create, rotate and revoke tokens. New secrets are shown once. Both lists are short (people and
 * integrations, not runs), so they are loaded whole.
 */
@Route("users")
@PageTitle("Users and tokens · Tessera")
@RolesAllowed("ADMIN")
public class UsersView extends VerticalLayout {

    private final AccessAdministration access;
    private final UserStore users;
    private final ApiTokenStore tokens;
    private final CurrentUser user;
    private final Grid<UserStore.User> userGrid = new Grid<>();
    private final Grid<ApiTokenStore.ApiToken> tokenGrid = new Grid<>();

    public UsersView(AccessAdministration access, UserStore users, ApiTokenStore tokens, CurrentUser user) {
        this.access = access;
        this.users = users;
        this.tokens = tokens;
        this.user = user;
        setSizeFull();

        Button newUser = new Button("New user", VaadinIcon.PLUS.create(),
                click -> new NewUserDialog(access, user.name(), this::refreshUsers).open());
        newUser.setId("user-new");
        userGrid.setId("users-grid");
        userGrid.addThemeVariants(GridVariant.LUMO_COMPACT);
        userGrid.addColumn(UserStore.User::name).setHeader("Name").setKey("name").setAutoWidth(true);
        userGrid.addComponentColumn(this::roleSelect).setHeader("Role").setKey("role").setAutoWidth(true);
        userGrid.addColumn(u -> u.enabled() ? "enabled" : "disabled").setHeader("Status").setKey("status").setAutoWidth(true);
        userGrid.addColumn(u -> Formats.time(u.createdAt())).setHeader("Created (UTC)").setAutoWidth(true);
        userGrid.addComponentColumn(this::userActions).setHeader("").setKey("actions").setAutoWidth(true);
        userGrid.setAllRowsVisible(true);

        Button newToken = new Button("New token", VaadinIcon.KEY.create(),
                click -> new NewTokenDialog(access, user.name(), issued -> {
                    refreshTokens();
                    new SecretDialog("Token '" + issued.token().name() + "'",
                            "Send it as 'Authorization: Bearer <token>'. It is shown only now: Tessera keeps only its hash.",
                            issued.secret()).open();
                }).open());
        newToken.setId("token-new");
        tokenGrid.setId("tokens-grid");
        tokenGrid.addThemeVariants(GridVariant.LUMO_COMPACT);
        tokenGrid.addColumn(ApiTokenStore.ApiToken::name).setHeader("Name").setKey("name").setAutoWidth(true);
        tokenGrid.addColumn(ApiTokenStore.ApiToken::role).setHeader("Role").setAutoWidth(true);
        tokenGrid.addColumn(t -> t.revoked() ? "revoked " + Formats.time(t.revokedAt()) : "active").setHeader("Status").setKey("status").setAutoWidth(true);
        tokenGrid.addColumn(ApiTokenStore.ApiToken::createdBy).setHeader("Created by").setAutoWidth(true);
        tokenGrid.addColumn(t -> Formats.time(t.createdAt())).setHeader("Created (UTC)").setAutoWidth(true);
        tokenGrid.addColumn(t -> Formats.time(t.lastUsedAt())).setHeader("Last used").setAutoWidth(true);
        tokenGrid.addComponentColumn(this::tokenActions).setHeader("").setKey("actions").setAutoWidth(true);
        tokenGrid.setAllRowsVisible(true);

        add(new H2("Users and tokens"),
                header(new H3("Users"), newUser), userGrid,
                header(new H3("API tokens"), newToken), tokenGrid);
        refreshUsers();
        refreshTokens();
    }

    private static HorizontalLayout header(Component title, Button action) {
        HorizontalLayout row = new HorizontalLayout(title, action);
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        return row;
    }

    private Component roleSelect(UserStore.User u) {
        Select<Role> role = new Select<>();
        role.setId("user-role-" + u.name());
        role.setItems(Role.values());
        role.setValue(u.role());
        role.addValueChangeListener(change -> {
            if (!change.isFromClient()) {
                return;
            }
            act(() -> access.setRole(u.id(), change.getValue(), user.name()),
                    u.name() + " is now " + change.getValue());
        });
        return role;
    }

    private Component userActions(UserStore.User u) {
        Button toggle = new Button(u.enabled() ? "Disable" : "Enable",
                click -> act(() -> access.setEnabled(u.id(), !u.enabled(), user.name()),
                        u.name() + (u.enabled() ? " can no longer sign in" : " can sign in again")));
        toggle.setId("user-toggle-" + u.name());
        toggle.addThemeVariants(ButtonVariant.LUMO_SMALL);
        Button reset = new Button("Reset password", click -> confirm("Reset the password of " + u.name() + "?",
                "Their current password stops working at once.", "Reset", () -> {
                    user.require(Role.ADMIN);
                    AccessAdministration.IssuedPassword issued = access.resetPassword(u.id(), user.name());
                    new SecretDialog("New password for " + u.name(),
                            "Give it to " + u.name() + " over a safe channel. It is shown only now.", issued.password()).open();
                }));
        reset.setId("user-reset-" + u.name());
        reset.addThemeVariants(ButtonVariant.LUMO_SMALL);
        return new HorizontalLayout(toggle, reset);
    }

    private Component tokenActions(ApiTokenStore.ApiToken t) {
        if (t.revoked()) {
            return new Span();
        }
        Button rotate = new Button("Rotate", click -> confirm("Rotate token '" + t.name() + "'?",
                "A new token with the same name and role replaces it; the old one stops working at once.", "Rotate", () -> {
                    user.require(Role.ADMIN);
                    AccessAdministration.IssuedToken issued = access.rotateToken(t.id(), user.name());
                    refreshTokens();
                    new SecretDialog("Token '" + t.name() + "' (rotated)",
                            "Replace the old token wherever it is used. The new one is shown only now.", issued.secret()).open();
                }));
        rotate.setId("token-rotate-" + t.id());
        rotate.addThemeVariants(ButtonVariant.LUMO_SMALL);
        Button revoke = new Button("Revoke", click -> confirm("Revoke token '" + t.name() + "'?",
                "It stops working at once on every admin.", "Revoke", () -> act(() -> access.revokeToken(t.id(), user.name()),
                        "token '" + t.name() + "' revoked")));
        revoke.setId("token-revoke-" + t.id());
        revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        return new HorizontalLayout(rotate, revoke);
    }

    private void confirm(String header, String text, String action, Runnable onConfirm) {
        ConfirmDialog dialog = new ConfirmDialog(header, text, action, event -> {
            try {
                onConfirm.run();
            } catch (AccessAdministration.RefusedException | IllegalArgumentException e) {
                error(e.getMessage());
            }
        });
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.setId("access-confirm");
        dialog.open();
    }

    /** Runs a change as ADMIN (the server's own check), then reloads both lists. */
    private void act(Runnable change, String done) {
        try {
            user.require(Role.ADMIN);
            change.run();
            Notification.show(done, 3000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        } catch (AccessAdministration.RefusedException | IllegalArgumentException e) {
            error(e.getMessage());
        }
        refreshUsers();
        refreshTokens();
    }

    private static void error(String message) {
        Notification.show(message, 6000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    private void refreshUsers() {
        userGrid.setItems(users.list());
    }

    private void refreshTokens() {
        tokenGrid.setItems(tokens.list());
    }
}
