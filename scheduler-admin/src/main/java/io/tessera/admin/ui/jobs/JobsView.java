package io.tessera.admin.ui.jobs;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
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
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.ui.Formats;
import io.tessera.admin.ui.ViewRefresher;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.schedule.Schedule;
import jakarta.annotation.security.RolesAllowed;

import java.time.Instant;
import java.util.List;

/**
 * Every job, a page at a time from the database, filtered by name. A row opens the job's editor,
 * where it can be triggered, paused, resumed or deleted. Narrow windows drop the less important
 * columns: priority and queue first, then the rest but name, state and next fire time.
 */
@Route("jobs")
@PageTitle("Jobs · Tessera")
@RolesAllowed("VIEWER")
public class JobsView extends VerticalLayout {

    /** Below this window width only the name, the state and the next fire time are shown. */
    private static final int NARROW_PX = 720;
    /**
     * Priority and queue need this much more: below it the eight other columns already fill the
     * width next to the menu, and these two would push the grid into scrolling sideways.
     */
    static final int WIDE_PX = 1280;

    private final JobStore jobs;
    private final Grid<JobDefinition> grid = new Grid<>();
    private final TextField filter = new TextField();
    private final List<Grid.Column<JobDefinition>> secondaryColumns;
    private final List<Grid.Column<JobDefinition>> wideColumns;
    private Registration resizing;

    public JobsView(JobStore jobs, JobActions actions, ViewRefresher refresher) {
        this.jobs = jobs;
        setSizeFull();

        filter.setId("jobs-filter");
        filter.setPlaceholder("Filter by name");
        filter.setPrefixComponent(VaadinIcon.SEARCH.create());
        filter.setClearButtonVisible(true);
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
        H2 title = new H2("Jobs");
        title.getStyle().set("margin", "0");
        HorizontalLayout toolbar = new HorizontalLayout(title, filter);
        toolbar.setWidthFull();
        toolbar.setWrap(true);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);
        toolbar.expand(filter);
        filter.setMaxWidth("24rem");
        if (actions.mayChangeJobs()) {
            Button create = new Button("New job", VaadinIcon.PLUS.create(), click -> UI.getCurrent().navigate("jobs/" + JobEditorView.NEW));
            create.setId("job-new");
            create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            toolbar.add(create);
        }

        grid.setId("jobs-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(JobDefinition::name).setKey("name").setHeader("Name").setFlexGrow(2).setFrozen(true);
        Grid.Column<JobDefinition> group = grid.addColumn(JobDefinition::group).setKey("group").setHeader("Group");
        Grid.Column<JobDefinition> handler = grid.addColumn(JobDefinition::handler).setKey("handler").setHeader("Handler");
        Grid.Column<JobDefinition> schedule = grid.addColumn(job -> describe(job.schedule())).setKey("schedule")
                .setHeader("Schedule").setFlexGrow(2);
        Grid.Column<JobDefinition> shards = grid.addColumn(JobDefinition::shardCount).setKey("shards").setHeader("Shards")
                .setTextAlign(ColumnTextAlign.END).setFlexGrow(0).setWidth("6rem");
        Grid.Column<JobDefinition> accelerator = grid.addColumn(job -> job.needsAccelerators() ? job.accelerators().toString() : "")
                .setKey("accelerator").setHeader("Accelerator");
        Grid.Column<JobDefinition> priority = grid.addColumn(JobDefinition::priority).setKey("priority")
                .setHeader("Priority").setTextAlign(ColumnTextAlign.END).setFlexGrow(0).setWidth("6rem");
        Grid.Column<JobDefinition> queue = grid.addColumn(JobDefinition::queue).setKey("queue").setHeader("Queue");
        grid.addComponentColumn(job -> styleState(new Span(), job.enabled())).setKey("enabled").setHeader("State")
                .setFlexGrow(0).setWidth("7rem");
        grid.addColumn(job -> nextFire(job, Instant.now())).setKey("next-fire").setHeader("Next fire (UTC)")
                .setFlexGrow(0).setWidth("12rem");
        grid.getColumns().forEach(column -> column.setSortable(false).setResizable(true));
        secondaryColumns = List.of(group, handler, schedule, shards, accelerator);
        wideColumns = List.of(priority, queue);
        grid.setItems(query -> jobs.list(nameFilter(), query.getOffset(), query.getLimit()).stream(),
                query -> Math.toIntExact(jobs.count(nameFilter())));
        grid.addItemClickListener(click -> UI.getCurrent().navigate("jobs/" + click.getItem().id()));
        grid.setSizeFull();

        add(toolbar, grid);
        expand(grid);
        refresher.whileAttached(grid, () -> grid.getDataProvider().refreshAll());
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        super.onAttach(attach);
        attach.getUI().getPage().retrieveExtendedClientDetails(details -> fitWidth(details.getWindowInnerWidth()));
        resizing = attach.getUI().getPage().addBrowserWindowResizeListener(resize -> fitWidth(resize.getWidth()));
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (resizing != null) {
            resizing.remove();
            resizing = null;
        }
        super.onDetach(detach);
    }

    /** Shows the columns that fit a window this wide. */
    void fitWidth(int windowWidth) {
        secondaryColumns.forEach(column -> column.setVisible(windowWidth >= NARROW_PX));
        wideColumns.forEach(column -> column.setVisible(windowWidth >= WIDE_PX));
    }

    private String nameFilter() {
        String text = filter.getValue().trim();
        return text.isEmpty() ? null : text;
    }

    /** How a schedule reads in the list: the cron and its zone, the period, or "manual". */
    static String describe(Schedule schedule) {
        return switch (schedule.type()) {
            case CRON -> schedule.expression() + " (" + schedule.zone().getId() + ")";
            case FIXED_RATE -> "every " + schedule.expression() + "s";
            case NONE -> "manual";
        };
    }

    /** The schedule's next fire time; nothing for a paused or manual job, which does not fire by itself. */
    static String nextFire(JobDefinition job, Instant now) {
        if (!job.enabled()) {
            return "";
        }
        return job.schedule().nextFireTime(now).map(Formats::time).orElse("");
    }

    /** A badge: "active" or "paused". */
    static Span styleState(Span badge, boolean enabled) {
        badge.setText(enabled ? "active" : "paused");
        badge.getElement().getThemeList().clear();
        badge.getElement().getThemeList().add("badge");
        badge.getElement().getThemeList().add(enabled ? "success" : "contrast");
        badge.getElement().setAttribute("data-enabled", Boolean.toString(enabled));
        return badge;
    }
}
