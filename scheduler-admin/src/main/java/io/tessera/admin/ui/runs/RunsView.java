package io.tessera.admin.ui.runs;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.RunStore;
import io.tessera.admin.ui.Formats;
import io.tessera.admin.ui.StatusBadge;
import io.tessera.admin.ui.ViewRefresher;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import jakarta.annotation.security.RolesAllowed;

import java.util.List;
import java.util.Map;

/**
 * Every run, newest first, filtered by job, status and scheduled time. The grid is lazy: each scroll
 * reads one page, and its count stops at {@link RunPages#MAX_ROWS}. {@code ?jobId=..&status=..}
 * preselect the filters (other views link here). A click on a run opens it.
 */
@Route("runs")
@PageTitle("Runs · Tessera")
@RolesAllowed("VIEWER")
public class RunsView extends VerticalLayout implements BeforeEnterObserver {

    static final int PAGE_SIZE = 50;
    /** Fixed, not measured from the first rows: a later row may hold a longer status or a time where the first had none. */
    static final String STATUS_WIDTH = "9em";
    static final String TIME_WIDTH = "10.5em";
    static final String DURATION_WIDTH = "7em";

    private final RunPages pages;
    private final RunFilterBar filters;
    private final Grid<RunPages.Line> grid = new Grid<>();
    private final Span matches = new Span();
    private RunFilter filter = RunFilter.ANY;

    public RunsView(RunStore runs, JobStore jobs, ViewRefresher refresher) {
        this.pages = new RunPages(runs, jobs);
        this.filters = new RunFilterBar(jobs, this::apply);
        setSizeFull();

        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), click -> apply(filters.filter()));
        refresh.setId("runs-refresh");
        refresh.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        matches.setId("runs-matches");
        matches.addClassNames("text-secondary");
        HorizontalLayout heading = new HorizontalLayout(new H2("Runs"), matches, refresh);
        heading.setAlignItems(FlexComponent.Alignment.BASELINE);
        heading.setWidthFull();
        heading.expand(matches);
        heading.getStyle().set("flex-wrap", "wrap");

        configureGrid();
        add(heading, filters, grid);
        setFlexGrow(1, grid);
        // New runs and status changes show up by themselves; each refresh is one capped count and one page.
        refresher.whileAttached(grid, () -> grid.getDataProvider().refreshAll());
    }

    private void configureGrid() {
        grid.setId("runs-grid");
        grid.setPageSize(PAGE_SIZE);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.setWidthFull();
        grid.setMinHeight("320px");
        grid.addColumn(line -> line.run().id()).setKey("id").setHeader("Run").setAutoWidth(true).setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        grid.addColumn(RunPages.Line::jobName).setKey("job").setHeader("Job").setAutoWidth(true);
        Grid.Column<RunPages.Line> trigger = grid.addColumn(line -> line.run().trigger()).setKey("trigger")
                .setHeader("Trigger").setWidth("8em").setFlexGrow(0);
        grid.addComponentColumn(line -> StatusBadge.of(line.run().status())).setKey("status").setHeader("Status")
                .setWidth(STATUS_WIDTH).setFlexGrow(0);
        grid.addColumn(line -> Formats.time(line.run().scheduledAt())).setKey("scheduled").setHeader("Scheduled (UTC)")
                .setWidth(TIME_WIDTH).setFlexGrow(0);
        Grid.Column<RunPages.Line> started = grid.addColumn(line -> Formats.time(line.run().startedAt())).setKey("started")
                .setHeader("Started").setWidth(TIME_WIDTH).setFlexGrow(0);
        Grid.Column<RunPages.Line> finished = grid.addColumn(line -> Formats.time(line.run().finishedAt())).setKey("finished")
                .setHeader("Finished").setWidth(TIME_WIDTH).setFlexGrow(0);
        grid.addColumn(line -> duration(line.run())).setKey("duration").setHeader("Duration").setWidth(DURATION_WIDTH)
                .setFlexGrow(0);
        Grid.Column<RunPages.Line> attempt = grid.addColumn(line -> line.run().attempt()).setKey("attempt")
                .setHeader("Attempt").setAutoWidth(true).setFlexGrow(0);
        Grid.Column<RunPages.Line> message = grid.addColumn(line -> line.run().message()).setKey("message")
                .setHeader("Message").setFlexGrow(1).setTooltipGenerator(line -> line.run().message());
        ResponsiveColumns.hideBelow(grid, 800, List.of(trigger, started, finished, attempt, message));

        grid.setItems(query -> pages.page(filter, query.getOffset(), query.getLimit()).stream(), query -> count());
        grid.addItemClickListener(click -> open(click.getItem().run()));
    }

    private int count() {
        int count = pages.count(filter);
        matches.setText(count >= RunPages.MAX_ROWS
                ? String.format("more than %,d runs: the newest %,d are listed; narrow the filters to reach older ones",
                RunPages.MAX_ROWS, RunPages.MAX_ROWS)
                : String.format("%,d run%s", count, count == 1 ? "" : "s"));
        return count;
    }

    private void apply(RunFilter newFilter) {
        filter = newFilter;
        grid.getDataProvider().refreshAll();
    }

    private static void open(JobRun run) {
        UI.getCurrent().navigate(RunView.class, new RouteParameters(RunView.RUN_ID, String.valueOf(run.id())));
    }

    /** A run that has not finished counts up to now. */
    static String duration(JobRun run) {
        return run.startedAt() == null ? "" : Formats.between(run.startedAt(), run.finishedAt());
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Map<String, List<String>> query = event.getLocation().getQueryParameters().getParameters();
        filters.clear();
        first(query, "jobId").ifPresent(this::preselectJob);
        first(query, "status").ifPresent(this::preselectStatus);
        apply(filters.filter());
    }

    private void preselectJob(String value) {
        try {
            filters.selectJob(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            filters.rejectJob("'" + value + "' in the address is not a job id");
        }
    }

    private void preselectStatus(String value) {
        try {
            filters.selectStatus(RunStatus.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            filters.rejectStatus("'" + value + "' in the address is not a status; one of " + List.of(RunStatus.values()));
        }
    }

    private static java.util.Optional<String> first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(values.get(0));
    }
}
