package io.tessera.admin.ui.runs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import io.tessera.admin.dispatch.ShardLogReader;
import io.tessera.admin.engine.RunService;
import io.tessera.admin.store.AuditStore;
import io.tessera.admin.store.JobStore;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.RunStore;
import io.tessera.admin.ui.CurrentUser;
import io.tessera.admin.ui.ViewRefresher;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.ShardRun;
import jakarta.annotation.security.RolesAllowed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run: its header and progress, its shards, the preemptions of its shards (if any), and a shard's log. While the run is open (or a log
 * shown is still being written) the page refreshes itself through server push; once the run has
 * finished and its log is read to the end it stops. OPERATORs and ADMINs may cancel an open run.
 */
@Route("runs/:" + RunView.RUN_ID)
@RolesAllowed("VIEWER")
public class RunView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String RUN_ID = "runId";

    private static final Logger log = LoggerFactory.getLogger(RunView.class);

    private final RunStore runs;
    private final JobStore jobs;
    private final RunService runService;
    private final AuditStore audit;
    private final CurrentUser user;
    private final RunSummary summary = new RunSummary();
    private final Button cancel = new Button("Cancel run", VaadinIcon.STOP.create());
    private final ShardsGrid shards;
    private final PreemptionHistory preemptions = new PreemptionHistory();
    private final ShardLogPanel logPanel;
    /** Present while the page refreshes itself: the refresher runs while it is attached. */
    private final Div live = new Div();
    private String title = "Run · Tessera";
    private long runId;
    private String jobName;
    private JobRun run;
    private List<ShardRun> shardRuns = List.of();

    public RunView(RunStore runs, JobStore jobs, RunService runService, AuditStore audit, ShardLogReader logs,
                   CurrentUser user, ViewRefresher refresher) {
        this.runs = runs;
        this.jobs = jobs;
        this.runService = runService;
        this.audit = audit;
        this.user = user;
        this.shards = new ShardsGrid(this::showLog);
        this.logPanel = new ShardLogPanel(logs, this::keepRefreshingWhileNeeded);
        setWidthFull();
        live.setId("run-live");
        live.setVisible(false);
        refresher.whileAttached(live, this::refresh);
        cancel.setId("run-cancel");
        cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
        cancel.addClickListener(click -> confirmCancel());
        cancel.setVisible(false);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String requested = event.getRouteParameters().get(RUN_ID).orElse("");
        Optional<JobRun> found = parse(requested).flatMap(runs::find);
        removeAll();
        logPanel.reset();
        if (found.isEmpty()) {
            title = "Run not found · Tessera";
            Paragraph missing = new Paragraph("run " + requested + " not found");
            missing.setId("run-not-found");
            add(new H2("Run " + requested), missing, new RouterLink("All runs", RunsView.class));
            return;
        }
        run = found.get();
        runId = run.id();
        title = "Run " + runId + " · Tessera";
        jobName = jobs.find(run.jobId()).map(JobDefinition::name).orElse("job " + run.jobId() + " (deleted)");
        H3 shardsHeading = new H3("Shards");
        add(summary, cancel, shardsHeading, shards, preemptions, logPanel);
        show(run, runs.shards(runId));
    }

    @Override
    public String getPageTitle() {
        return title;
    }

    /** Reads the run again and shows what changed; runs every refresh interval while the page is live. */
    void refresh() {
        Optional<JobRun> latest = runs.find(runId);
        if (latest.isEmpty()) {
            keepRefreshing(false);
            return;
        }
        show(latest.get(), runs.shards(runId));
        logPanel.poll();
    }

    private void show(JobRun latest, List<ShardRun> latestShards) {
        run = latest;
        shardRuns = latestShards;
        summary.show(run, jobName, shardRuns);
        cancel.setVisible(user.may(Role.OPERATOR) && !run.status().isTerminal());
        shards.show(shardRuns);
        preemptions.show(runs.preemptionsOf(List.of(runId)).getOrDefault(runId, List.of()));
        shardRuns.forEach(logPanel::update);
        keepRefreshingWhileNeeded();
    }

    private void showLog(ShardRun clicked) {
        ShardRun shard = shardRuns.stream().filter(s -> s.shardIndex() == clicked.shardIndex()).findFirst().orElse(clicked);
        logPanel.show(shard);
        keepRefreshingWhileNeeded();
    }

    private void keepRefreshingWhileNeeded() {
        keepRefreshing(run != null && (!run.status().isTerminal() || logPanel.following()));
    }

    private void keepRefreshing(boolean needed) {
        if (needed && live.getParent().isEmpty()) {
            add(live);
        } else if (!needed && live.getParent().isPresent()) {
            remove(live);
        }
    }

    private void confirmCancel() {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setId("cancel-dialog");
        dialog.setHeader("Cancel run " + runId + "?");
        dialog.setText("Its running shards are stopped, and shards not yet started will not start.");
        dialog.setCancelable(true);
        dialog.setCancelText("Keep it running");
        Button confirm = new Button("Cancel run", click -> {
            dialog.close();
            cancelRun();
        });
        confirm.setId("cancel-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.setConfirmButton(confirm);
        dialog.open();
    }

    /** Cancels the run; refused, whatever the browser shows, unless the user is an OPERATOR or ADMIN. */
    void cancelRun() {
        user.require(Role.OPERATOR);
        boolean cancelled;
        try {
            cancelled = runService.cancel(runId, "cancelled by " + user.name());
        } catch (IllegalStateException e) {
            log.warn("Cancelling run {} for {} failed", runId, user.name(), e);
            notify("Run " + runId + " could not be cancelled: " + e.getMessage(), NotificationVariant.LUMO_ERROR);
            return;
        }
        if (cancelled) {
            audit.append(new AuditStore.AuditEntry(null, Instant.now(), user.name(), "run.cancel", "run:" + runId,
                    "job:" + run.jobId()));
            notify("Run " + runId + " cancelled", NotificationVariant.LUMO_SUCCESS);
        } else {
            notify("Run " + runId + " has already finished", NotificationVariant.LUMO_CONTRAST);
        }
        refresh();
    }

    private static void notify(String text, NotificationVariant variant) {
        Notification notification = Notification.show(text, 5000, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(variant);
    }

    private static Optional<Long> parse(String id) {
        try {
            return Optional.of(Long.parseLong(id.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
