package io.tessera.admin.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.RouterLink;
import io.tessera.admin.store.Role;
import io.tessera.admin.ui.dashboard.DashboardView;
import jakarta.annotation.security.PermitAll;

/** The frame around every signed-in view: navigation (only what the role may open), the user, sign out. */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

    public MainLayout(CurrentUser user) {
        DrawerToggle toggle = new DrawerToggle();
        RouterLink brand = new RouterLink("Tessera", DashboardView.class);
        brand.addClassName("tessera-brand");
        Span who = new Span(user.name() + " · " + user.role());
        who.setId("current-user");
        Button signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), click -> user.logout());
        signOut.setId("sign-out");
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout bar = new HorizontalLayout(toggle, brand, who, signOut);
        bar.setWidthFull();
        bar.setAlignItems(FlexComponent.Alignment.CENTER);
        bar.expand(brand);
        bar.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(bar);

        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("Dashboard", DashboardView.class, VaadinIcon.DASHBOARD.create()));
        for (NavEntry entry : NavEntry.values()) {
            if (user.may(entry.role())) {
                nav.addItem(new SideNavItem(entry.label(), entry.path(), entry.icon().create()));
            }
        }
        addToDrawer(nav);
        setPrimarySection(Section.DRAWER);
    }

    /** Views other than the dashboard, by the role that may open them. */
    enum NavEntry {
        JOBS("Jobs", "jobs", VaadinIcon.CALENDAR_CLOCK, Role.VIEWER),
        RUNS("Runs", "runs", VaadinIcon.PLAY_CIRCLE_O, Role.VIEWER),
        EXECUTORS("Executors", "executors", VaadinIcon.SERVER, Role.VIEWER),
        USERS("Users and tokens", "users", VaadinIcon.USERS, Role.ADMIN);

        private final String label;
        private final String path;
        private final VaadinIcon icon;
        private final Role role;

        NavEntry(String label, String path, VaadinIcon icon, Role role) {
            this.label = label;
            this.path = path;
            this.icon = icon;
            this.role = role;
        }

        String label() { return label; }
        String path() { return path; }
        VaadinIcon icon() { return icon; }
        Role role() { return role; }
    }
}
