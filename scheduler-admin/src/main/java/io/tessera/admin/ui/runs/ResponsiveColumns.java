package io.tessera.admin.ui.runs;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.shared.Registration;

import java.util.List;

/**
 * Hides a grid's secondary columns while the browser window is narrower than a width (a phone), and
 * shows them again when it widens. The grid still scrolls sideways for what remains.
 */
final class ResponsiveColumns {

    private ResponsiveColumns() {
    }

    static void hideBelow(Grid<?> grid, int minWidthPx, List<? extends Grid.Column<?>> secondary) {
        grid.addAttachListener(attach -> {
            UI ui = attach.getUI();
            ui.getPage().retrieveExtendedClientDetails(details -> show(secondary, details.getWindowInnerWidth() >= minWidthPx));
            Registration resize = ui.getPage().addBrowserWindowResizeListener(event -> show(secondary, event.getWidth() >= minWidthPx));
            Registration[] detach = new Registration[1];
            detach[0] = grid.addDetachListener(event -> {
                resize.remove();
                detach[0].remove();
            });
        });
    }

    private static void show(List<? extends Grid.Column<?>> columns, boolean visible) {
        columns.forEach(column -> column.setVisible(visible));
    }
}
