package io.tessera.admin.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.router.RouterLink;
import io.tessera.admin.ui.dashboard.DashboardView;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An unknown page, or one the user's role may not open (in production Vaadin does not tell the two
 * apart, so that routes are not revealed), inside the usual frame so the user can go on or sign out.
 */
@ParentLayout(MainLayout.class)
@PermitAll
public class PageNotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException> {

    private final CurrentUser user;

    public PageNotFoundView(CurrentUser user) {
        this.user = user;
        setId("page-not-found");
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        removeAll();
        add(new H2("Page not found"),
                new Paragraph("There is no page '/" + event.getLocation().getPath() + "', or your role ("
                        + user.role() + ") may not open it."),
                new RouterLink("Back to the dashboard", DashboardView.class));
        return HttpServletResponse.SC_NOT_FOUND;
    }
}
