package io.tessera.admin.ui.jobs;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import io.tessera.admin.store.Role;
import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.core.schedule.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;

import static com.github.mvysny.kaributesting.v10.LocatorJ._assertNone;
import static com.github.mvysny.kaributesting.v10.LocatorJ._assertOne;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The jobs list, and what can be done to a stored job: trigger, pause, resume, delete. */
class JobsViewTest extends JobsUiTestBase {

    @Test
    void theGridShowsAJobsColumnsAndTheFilterNarrowsIt() {
        String prefix = unique("ui-filter");
        JobDefinition gpu = stored(echo(prefix + "-gpu").shardCount(4).accelerators(AcceleratorRequirement.parse("GPU:2:H100"))
                .priority(120).queue("team-vision")
                .schedule(Schedule.cron("0 0 3 * * ?", ZoneId.of("Europe/Paris"))));
        stored(echo(prefix + "-manual").enabled(false));
        signIn(Role.VIEWER);
        open("jobs");
        Grid<JobDefinition> grid = jobsGrid();
        assertThat(GridKt._size(grid)).isGreaterThanOrEqualTo(2);

        _setFilter(prefix);
        assertThat(GridKt._size(grid)).isEqualTo(2);
        _setFilter(prefix + "-gpu");
        assertThat(GridKt._size(grid)).isEqualTo(1);

        assertThat(GridKt._getFormatted(grid, 0, "name")).isEqualTo(gpu.name());
        assertThat(GridKt._getFormatted(grid, 0, "group")).isEqualTo(GROUP);
        assertThat(GridKt._getFormatted(grid, 0, "handler")).isEqualTo("echo");
        assertThat(GridKt._getFormatted(grid, 0, "schedule")).isEqualTo("0 0 3 * * ? (Europe/Paris)");
        assertThat(GridKt._getFormatted(grid, 0, "shards")).isEqualTo("4");
        assertThat(GridKt._getFormatted(grid, 0, "accelerator")).isEqualTo("GPU:2:H100");
        assertThat(GridKt._getFormatted(grid, 0, "priority")).isEqualTo("120");
        assertThat(GridKt._getFormatted(grid, 0, "queue")).isEqualTo("team-vision");
        assertThat(GridKt._getFormatted(grid, 0, "next-fire")).endsWith(":00:00").startsWith("20");
        assertThat(((Span) GridKt._getCellComponent(grid, 0, "enabled")).getText()).isEqualTo("active");

        _setFilter(prefix + "-manual");
        assertThat(GridKt._getFormatted(grid, 0, "schedule")).isEqualTo("manual");
        assertThat(GridKt._getFormatted(grid, 0, "next-fire")).isEmpty();
        assertThat(GridKt._getFormatted(grid, 0, "priority")).isEqualTo("0");
        assertThat(GridKt._getFormatted(grid, 0, "queue")).isEmpty();
        assertThat(((Span) GridKt._getCellComponent(grid, 0, "enabled")).getText()).isEqualTo("paused");

        _setFilter("");
        assertThat(GridKt._size(grid)).isEqualTo(Math.toIntExact(jobStore.count(null)));
    }

    @Test
    void priorityAndQueueShowOnlyWhereTheGridHasRoomForThem() {
        signIn(Role.VIEWER);
        open("jobs");
        JobsView view = (JobsView) currentView();
        Grid<JobDefinition> grid = jobsGrid();

        view.fitWidth(JobsView.WIDE_PX);
        assertThat(grid.getColumnByKey("priority").isVisible()).isTrue();
        assertThat(grid.getColumnByKey("queue").isVisible()).isTrue();

        view.fitWidth(JobsView.WIDE_PX - 1);
        assertThat(grid.getColumnByKey("priority").isVisible()).isFalse();
        assertThat(grid.getColumnByKey("queue").isVisible()).isFalse();
        assertThat(grid.getColumnByKey("schedule").isVisible()).isTrue();

        view.fitWidth(400);
        assertThat(grid.getColumnByKey("schedule").isVisible()).isFalse();
        assertThat(grid.getColumnByKey("name").isVisible()).isTrue();
    }

    @Test
    void clickingARowOpensThatJobsEditor() {
        JobDefinition job = stored(echo(unique("ui-row")));
        signIn(Role.OPERATOR);
        open("jobs");
        _setFilter(job.name());

        GridKt._clickItem(jobsGrid(), 0);

        assertThat(currentView()).isInstanceOf(JobEditorView.class);
        assertThat(byId(TextField.class, "job-name").getValue()).isEqualTo(job.name());
    }

    @Test
    void anOperatorTriggersAJobAndTheRunSucceeds() {
        JobDefinition job = stored(echo(unique("ui-trigger")));
        signIn(Role.OPERATOR);
        open("jobs/" + job.id());

        click("job-trigger");
        TextArea params = byId(TextArea.class, "trigger-params");
        assertThat(params.getValue()).isEqualTo("hi");
        set("trigger-params", "from the ui");
        click("trigger-confirm");

        Span notice = byId(Span.class, "trigger-run-id");
        long runId = Long.parseLong(notice.getElement().getAttribute("data-run-id"));
        assertThat(notice.getText()).isEqualTo("Run " + runId + " of " + job.name() + " started");
        _assertOne(Button.class, spec -> spec.withId("trigger-open-run"));
        JobRun run = runStore.find(runId).orElseThrow();
        assertThat(run.jobId()).isEqualTo(job.id());
        assertThat(run.params()).isEqualTo("from the ui");
        assertThat(run.trigger()).isEqualTo(TriggerKind.MANUAL);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                runStore.find(runId).orElseThrow().status() == RunStatus.SUCCEEDED);
        assertThat(audit.list(0, 500)).anySatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo("operator");
            assertThat(entry.action()).isEqualTo("run.trigger");
            assertThat(entry.target()).isEqualTo("job:" + job.id());
        });
    }

    @Test
    void triggeringWithTheJobsOwnParamsRecordsThem() {
        JobDefinition job = stored(echo(unique("ui-own-params")));
        signIn(Role.OPERATOR);
        open("jobs/" + job.id());

        click("job-trigger");
        click("trigger-confirm");

        long runId = Long.parseLong(byId(Span.class, "trigger-run-id").getElement().getAttribute("data-run-id"));
        assertThat(runStore.find(runId).orElseThrow().params()).isEqualTo("hi");
    }

    @Test
    void pauseResumeAndDeleteChangeTheStore() {
        JobDefinition job = stored(echo(unique("ui-lifecycle")));
        signIn(Role.OPERATOR);
        open("jobs/" + job.id());
        _assertNone(Button.class, spec -> spec.withId("job-resume"));

        click("job-pause");
        assertThat(jobStore.find(job.id()).orElseThrow().enabled()).isFalse();
        assertThat(byId(Span.class, "job-state").getText()).isEqualTo("paused");
        _assertNone(Button.class, spec -> spec.withId("job-pause"));

        click("job-resume");
        assertThat(jobStore.find(job.id()).orElseThrow().enabled()).isTrue();
        assertThat(byId(Span.class, "job-state").getText()).isEqualTo("active");

        click("job-delete");
        _get(ConfirmDialog.class, spec -> spec.withId("delete-dialog"));
        assertThat(jobStore.find(job.id())).isPresent();
        click("delete-confirm");

        assertThat(jobStore.find(job.id())).isEmpty();
        assertThat(currentView()).isInstanceOf(JobsView.class);
    }

    @Test
    void anUnknownJobSaysSo() {
        signIn(Role.VIEWER);
        open("jobs/987654321");

        assertThat(byId(com.vaadin.flow.component.html.Paragraph.class, "job-missing").getText()).contains("987654321");
        _assertNone(TextField.class, spec -> spec.withId("job-name"));
    }

    @SuppressWarnings("unchecked")
    private static Grid<JobDefinition> jobsGrid() {
        return byId(Grid.class, "jobs-grid");
    }

    private static void _setFilter(String text) {
        set("jobs-filter", text);
    }
}
