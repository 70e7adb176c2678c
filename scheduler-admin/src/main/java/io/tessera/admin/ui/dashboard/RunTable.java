package io.tessera.admin.ui.dashboard;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import io.tessera.admin.ui.Formats;
import io.tessera.admin.ui.RunLink;
import io.tessera.admin.ui.StatusBadge;

import java.util.List;

/**
 * A short list of runs on the dashboard (at most {@link DashboardLoader#LIST_LIMIT}, limited by the
 * query, so the items are held in memory); each run links to its page.
 */
final class RunTable extends Grid<DashboardSnapshot.RunLine> {

    private RunTable(String id, String emptyText) {
        setId(id);
        setEmptyStateText(emptyText);
        setAllRowsVisible(true);
        addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_ROW_STRIPES,
                GridVariant.LUMO_WRAP_CELL_CONTENT);
        addComponentColumn(line -> RunLink.to(line.run().id(), "#" + line.run().id())).setHeader("Run").setKey("run")
                .setAutoWidth(true).setFlexGrow(0);
        addColumn(DashboardSnapshot.RunLine::jobName).setHeader("Job").setKey("job").setWidth("8rem").setFlexGrow(1);
        addComponentColumn(line -> StatusBadge.of(line.run().status())).setHeader("Status").setKey("status")
                .setAutoWidth(true).setFlexGrow(0);
    }

    /** Open runs that wait longest: how long they have waited, and why. */
    static RunTable waiting() {
        RunTable table = new RunTable("dash-waiting", "No run is waiting");
        table.addColumn(line -> Formats.between(line.run().scheduledAt(), null)).setHeader("Waiting").setKey("waiting")
                .setWidth("6.5rem").setFlexGrow(0);
        table.addColumn(line -> line.run().message()).setHeader("Reason").setKey("message").setWidth("10rem").setFlexGrow(2)
                .setTooltipGenerator(line -> line.run().message());
        return table;
    }

    /** The latest failed and timed-out runs: when, and the message. */
    static RunTable failures() {
        RunTable table = new RunTable("dash-failures", "No run failed");
        table.addColumn(line -> Formats.time(line.run().finishedAt())).setHeader("Finished").setKey("finished")
                .setWidth("6.5rem").setFlexGrow(0);
        table.addColumn(line -> line.run().message()).setHeader("Message").setKey("message").setWidth("10rem").setFlexGrow(2)
                .setTooltipGenerator(line -> line.run().message());
        return table;
    }

    void show(List<DashboardSnapshot.RunLine> lines) {
        setItems(lines);
    }
}
