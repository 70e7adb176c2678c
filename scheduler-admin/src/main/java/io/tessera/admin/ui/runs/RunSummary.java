package io.tessera.admin.ui.runs;

import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import io.tessera.admin.ui.Formats;
import io.tessera.admin.ui.StatusBadge;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.ShardRun;

import java.util.List;

/** A run's header: its job, id and status, when it was scheduled, started and finished, and its shards' progress. */
final class RunSummary extends Div {

    private final H2 title = new H2();
    private final Div badgeSlot = new Div();
    private final Anchor job = new Anchor();
    private final Span trigger = value("run-trigger");
    private final Span scheduled = value("run-scheduled");
    private final Span started = value("run-started");
    private final Span finished = value("run-finished");
    private final Span duration = value("run-duration");
    private final Span attempt = value("run-attempt");
    private final Span message = value("run-message");
    private final ProgressBar progress = new ProgressBar(0, 1, 0);
    private final Span progressText = value("run-progress-text");

    RunSummary() {
        setWidthFull();
        title.setId("run-title");
        title.getStyle().set("margin", "0");
        job.setId("run-job");
        job.getElement().setAttribute("router-link", true);
        FlexLayout heading = new FlexLayout(title, badgeSlot);
        heading.setAlignItems(FlexComponent.Alignment.CENTER);
        heading.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        heading.getStyle().set("gap", "var(--lumo-space-m)");

        FormLayout facts = new FormLayout();
        facts.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("600px", 2),
                new FormLayout.ResponsiveStep("900px", 3));
        facts.addFormItem(job, "Job");
        facts.addFormItem(trigger, "Trigger");
        facts.addFormItem(attempt, "Attempt");
        facts.addFormItem(scheduled, "Scheduled (UTC)");
        facts.addFormItem(started, "Started");
        facts.addFormItem(finished, "Finished");
        facts.addFormItem(duration, "Duration");
        facts.setColspan(facts.addFormItem(message, "Message"), 2);

        progress.setId("run-progress");
        progressText.addClassNames("text-secondary", "text-s");
        add(heading, facts, progress, progressText);
    }

    void show(JobRun run, String jobName, List<ShardRun> shards) {
        title.setText("Run " + run.id() + " · " + jobName);
        var badge = StatusBadge.of(run.status());
        badge.setId("run-status");
        badgeSlot.removeAll();
        badgeSlot.add(badge);
        job.setText(jobName);
        job.setHref("runs?jobId=" + run.jobId());
        job.setTitle("Other runs of this job");
        trigger.setText(run.trigger().name());
        scheduled.setText(Formats.time(run.scheduledAt()));
        started.setText(Formats.time(run.startedAt()));
        finished.setText(Formats.time(run.finishedAt()));
        duration.setText(RunsView.duration(run));
        attempt.setText(String.valueOf(run.attempt()));
        message.setText(run.message() == null ? "" : run.message());

        int total = shards.isEmpty() ? run.shardTotal() : shards.size();
        long done = shards.stream().filter(shard -> shard.status().isTerminal()).count();
        progress.setValue(total == 0 ? (run.status().isTerminal() ? 1 : 0) : (double) done / total);
        progressText.setText(done + " of " + total + " shard" + (total == 1 ? "" : "s") + " finished");
    }

    private static Span value(String id) {
        Span span = new Span();
        span.setId(id);
        return span;
    }
}
