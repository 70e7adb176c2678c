package io.tessera.admin.ui.dashboard;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Span;

/**
 * The quota queues' table: each queue's limits, whether it may borrow idle devices, and the devices
 * it uses and borrows as the leader counts them. Where they were not counted here the use columns
 * are hidden and a note says why: no number is shown that nobody counted.
 */
final class QuotaCard {

    private final Grid<QuotaRow> grid = new Grid<>();
    private final Span note = new Span();
    private final Grid.Column<QuotaRow> inUse;
    private final Grid.Column<QuotaRow> borrowed;

    QuotaCard() {
        grid.setId("dash-quotas");
        note.setId("dash-quotas-note");
        grid.setAllRowsVisible(true);
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_NO_BORDER);
        grid.addColumn(QuotaRow::queue).setHeader("Queue").setKey("queue").setFlexGrow(1);
        grid.addColumn(QuotaRow::devices).setHeader("Devices").setKey("devices").setFlexGrow(1);
        grid.addColumn(QuotaRow::quota).setHeader("Quota").setKey("quota").setAutoWidth(true).setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        inUse = grid.addColumn(QuotaRow::inUse).setHeader("In use").setKey("inUse").setAutoWidth(true).setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        borrowed = grid.addColumn(QuotaRow::borrowed).setHeader("Borrowed").setKey("borrowed").setAutoWidth(true)
                .setFlexGrow(0).setTextAlign(ColumnTextAlign.END);
        grid.addColumn(row -> row.borrowing() ? "yes" : "no").setHeader("May borrow").setKey("borrowing")
                .setAutoWidth(true).setFlexGrow(0);
    }

    Grid<QuotaRow> grid() {
        return grid;
    }

    Span note() {
        return note;
    }

    void show(DashboardSnapshot.Quotas quotas) {
        grid.setItems(quotas.rows());
        boolean counted = quotas.notCounted() == null;
        inUse.setVisible(counted);
        borrowed.setVisible(counted);
        note.setText(counted ? "" : quotas.notCounted());
        note.setVisible(!counted);
    }
}
