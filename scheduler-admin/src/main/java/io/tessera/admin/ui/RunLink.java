package io.tessera.admin.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.shared.ApplicationConstants;

/** A link to a run's page ({@code runs/<id>}), followed by the router without reloading the page. */
public final class RunLink {

    private RunLink() {
    }

    public static Anchor to(long runId, String text) {
        Anchor link = new Anchor("runs/" + runId, text);
        link.getElement().setAttribute(ApplicationConstants.ROUTER_LINK_ATTRIBUTE, "");
        return link;
    }
}
