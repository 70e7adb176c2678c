package io.tessera.admin.ui.runs;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import io.tessera.admin.store.RunChange;
import io.tessera.admin.ui.Formats;
import io.tessera.admin.ui.RunLink;

import java.util.List;

/**
 * A run's preemptions, oldest first: which attempt of which shard was stopped, when, for which run
 * (a link to it) of which job, and why. Hidden while the run has none.
 */
final class PreemptionHistory extends Div {

    private final Grid<RunChange.Preempted> grid = new Grid<>();
    private List<RunChange.Preempted> shown = List.of();

    PreemptionHistory() {
        setId("run-preemptions");
        setWidthFull();
        grid.setId("preemptions-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.addColumn(RunChange.Preempted::shardIndex).setKey("shard").setHeader("Shard").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(RunChange.Preempted::attempt).setKey("attempt").setHeader("Attempt").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(preempted -> Formats.time(preempted.at())).setKey("at").setHeader("When (UTC)")
                .setWidth(RunsView.TIME_WIDTH).setFlexGrow(0);
        grid.addComponentColumn(PreemptionHistory::byRun).setKey("byRun").setHeader("For run").setAutoWidth(true)
                .setFlexGrow(0);
        grid.addColumn(RunChange.Preempted::byJobName).setKey("byJob").setHeader("Job").setAutoWidth(true);
        grid.addColumn(RunChange.Preempted::reason).setKey("reason").setHeader("Reason").setFlexGrow(1)
                .setTooltipGenerator(RunChange.Preempted::reason);
        add(new H3("Preemptions"), grid);
        setVisible(false);
    }

    /** Shows these preemptions when they differ from those shown; hides the list when there are none. */
    void show(List<RunChange.Preempted> latest) {
        if (latest.equals(shown)) {
            return;
        }
        shown = List.copyOf(latest);
        grid.setItems(shown);
        setVisible(!shown.isEmpty());
    }

    /** A link to the run it made room for; a row stored without that run's id (the column allows it, read as 0) links nowhere. */
    private static Component byRun(RunChange.Preempted preempted) {
        return preempted.byRunId() > 0 ? RunLink.to(preempted.byRunId(), "Run " + preempted.byRunId()) : new Span("unknown");
    }
}
