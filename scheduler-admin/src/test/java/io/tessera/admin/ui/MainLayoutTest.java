package io.tessera.admin.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.sidenav.SideNavItem;
import io.tessera.admin.store.Role;
import io.tessera.admin.ui.dashboard.DashboardView;
import org.junit.jupiter.api.Test;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static org.assertj.core.api.Assertions.assertThat;

class MainLayoutTest extends UiTestBase {

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() {
        UI.getCurrent().navigate(DashboardView.class);
        assertThat(UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0)).isInstanceOf(LoginView.class);
    }

    @Test
    void viewersSeeNoUsersEntryAndAdminsDo() {
        signIn(Role.VIEWER);
        UI.getCurrent().navigate(DashboardView.class);
        assertThat(labels()).contains("Dashboard", "Jobs", "Runs", "Executors").doesNotContain("Users and tokens");

        signIn(Role.ADMIN);
        UI.getCurrent().getPage().reload();
        assertThat(labels()).contains("Users and tokens");
    }

    private static java.util.List<String> labels() {
        return _find(SideNavItem.class).stream().map(SideNavItem::getLabel).toList();
    }
}
