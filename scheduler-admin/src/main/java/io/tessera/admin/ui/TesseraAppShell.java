package io.tessera.admin.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.Theme;

/** Page-wide settings: server push (views refresh themselves) and the CSS-only theme. */
@Push
@Theme("tessera")
public class TesseraAppShell implements AppShellConfigurator {

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Tessera");
    }
}
