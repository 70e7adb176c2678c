package io.tessera.admin.ui;

import com.vaadin.flow.spring.annotation.SpringComponent;
import com.vaadin.flow.spring.annotation.UIScope;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.tessera.admin.store.Role;
import org.springframework.security.access.AccessDeniedException;

/** Who is signed in to this browser tab, and what their role lets them do. */
@SpringComponent
@UIScope
public class CurrentUser {

    private final AuthenticationContext authentication;

    public CurrentUser(AuthenticationContext authentication) {
        this.authentication = authentication;
    }

    public String name() {
        return authentication.getPrincipalName().orElse("anonymous");
    }

    /** Whether the user's role includes {@code role}. The server checks again on every action. */
    public boolean may(Role role) {
        return authentication.getAuthenticatedUser(Object.class).isPresent()
                && authentication.hasRole(role.name());
    }

    /** The strongest role the user has. */
    public Role role() {
        for (Role role : Role.values()) {
            if (may(role)) {
                return role;
            }
        }
        return Role.VIEWER;
    }

    /**
     * Refuses an action the user's role does not allow, whatever the browser sent: the buttons for
     * it are hidden, and this is the server's own check.
     */
    public void require(Role role) {
        if (!may(role)) {
            throw new AccessDeniedException(name() + " (" + role() + ") may not do what needs the role " + role);
        }
    }

    public void logout() {
        authentication.logout();
    }
}
