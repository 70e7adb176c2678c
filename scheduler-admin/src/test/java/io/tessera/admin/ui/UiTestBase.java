package io.tessera.admin.ui;

import com.github.mvysny.fakeservlet.FakeRequest;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.spring.MockSpringServlet;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinServletRequest;
import io.tessera.admin.api.ApiTestBase;
import io.tessera.admin.security.StoredUsers;
import io.tessera.admin.store.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;

import java.util.List;

/**
 * Server-side UI tests with Karibu-Testing: real views, real services, the real admin (the same
 * Spring context as the API tests, so no second start), one in-process agent with two GPUs.
 * Call {@link #signIn(Role)} before navigating; Vaadin's access control then sees that role.
 */
public abstract class UiTestBase extends ApiTestBase {

    private static final Routes ROUTES = new Routes().autoDiscoverViews("io.tessera.admin.ui");

    @Autowired
    protected ApplicationContext context;

    @BeforeEach
    void startVaadin() {
        MockVaadin.setup(UI::new, new MockSpringServlet(ROUTES, context, UI::new));
    }

    @AfterEach
    void stopVaadin() {
        MockVaadin.tearDown();
        SecurityContextHolder.clearContext();
    }

    /** Signs a user of that role in to the mocked browser; its name is the role's, in lower case. */
    protected void signIn(Role role) {
        List<SimpleGrantedAuthority> authorities = StoredUsers.authorities(role);
        String name = role.name().toLowerCase();
        User user = new User(name, "unused", authorities);
        UsernamePasswordAuthenticationToken authentication =
                new UsernamePasswordAuthenticationToken(user, null, authorities);
        SecurityContextHolder.getContext().setAuthentication(authentication);
        FakeRequest request = (FakeRequest) VaadinServletRequest.getCurrent().getRequest();
        request.setUserPrincipalInt(authentication);
        request.setUserInRole((principal, r) -> authorities.stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_" + r)));
    }
}
