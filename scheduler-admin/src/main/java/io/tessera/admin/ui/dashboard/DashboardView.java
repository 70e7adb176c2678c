package io.tessera.admin.ui.dashboard;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.RolesAllowed;

/** The cluster at a glance. */
@Route("")
@PageTitle("Dashboard · Tessera")
@RolesAllowed("VIEWER")
public class DashboardView extends VerticalLayout {

    public DashboardView() {
        add(new H2("Dashboard"));
    }
}
