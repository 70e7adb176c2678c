package io.tessera.admin.ui.jobs;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import io.tessera.admin.store.Role;
import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.schedule.Schedule;
import io.tessera.core.schedule.ScheduleType;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static org.assertj.core.api.Assertions.assertThat;

/** Creating and changing jobs through the editor, checked against what the store then holds. */
class JobEditorViewTest extends JobsUiTestBase {

    @Test
    void anOperatorCreatesACronJobWithAGpuRequirement() {
        JobDefinition child = stored(echo(unique("ui-child")));
        signIn(Role.OPERATOR);
        open("jobs/new");
        String name = unique("ui-train");

        set("job-name", name);
        set("job-group", "ui-gpu");
        set("job-handler", "echo");
        set("job-params", "epochs=3");
        set("job-schedule-kind", ScheduleType.CRON);
        set("job-cron", "0 30 2 ? * MON-FRI");
        set("job-timezone", ZoneId.of("Europe/Berlin"));
        set("job-shards", 2);
        set("job-accel-kind", "gpu");
        set("job-accel-count", 2);
        set("job-accel-model", "H100");
        set("job-accel-memory", "40000");
        set("job-gang", true);
        set("job-routing", RoutingStrategy.LEAST_BUSY);
        set("job-block", BlockStrategy.DISCARD_NEW);
        set("job-misfire", MisfirePolicy.SKIP);
        set("job-retries", 2);
        set("job-timeout", 3600);
        set("job-max-wait", 120);
        set("job-priority", 250);
        set("job-preemptible", true);
        set("job-preemption-grace", 90);
        set("job-queue", "team-vision");
        set("job-children", Set.of(child.id()));
        click("job-save");

        JobDefinition job = jobStore.findByName(name).orElseThrow();
        assertThat(job.group()).isEqualTo("ui-gpu");
        assertThat(job.handler()).isEqualTo("echo");
        assertThat(job.params()).isEqualTo("epochs=3");
        assertThat(job.schedule()).isEqualTo(Schedule.cron("0 30 2 ? * MON-FRI", ZoneId.of("Europe/Berlin")));
        assertThat(job.shardCount()).isEqualTo(2);
        assertThat(job.accelerators()).isEqualTo(new AcceleratorRequirement("GPU", 2, "H100", 40_000));
        assertThat(job.gang()).isTrue();
        assertThat(job.routing()).isEqualTo(RoutingStrategy.LEAST_BUSY);
        assertThat(job.blockStrategy()).isEqualTo(BlockStrategy.DISCARD_NEW);
        assertThat(job.misfire()).isEqualTo(MisfirePolicy.SKIP);
        assertThat(job.maxRetries()).isEqualTo(2);
        assertThat(job.timeoutSeconds()).isEqualTo(3600);
        assertThat(job.maxWaitSeconds()).isEqualTo(120);
        assertThat(job.childJobIds()).containsExactly(child.id());
        assertThat(job.enabled()).isTrue();
        assertThat(job.priority()).isEqualTo(250);
        assertThat(job.preemptible()).isTrue();
        assertThat(job.preemptionGraceSeconds()).isEqualTo(90);
        assertThat(job.queue()).isEqualTo("team-vision");
        assertThat(audit.list(0, 500)).anySatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo("operator");
            assertThat(entry.action()).isEqualTo("job.create");
            assertThat(entry.target()).isEqualTo("job:" + job.id());
        });
        // Saved, the editor shows the stored job.
        assertThat(currentView()).isInstanceOf(JobEditorView.class);
        assertThat(byId(TextField.class, "job-name").getValue()).isEqualTo(name);
        assertThat(byId(TextField.class, "job-name").isReadOnly()).isFalse();

        // Opened afresh, the editor reads them back from the store.
        open("jobs");
        open("jobs/" + job.id());
        assertThat(byId(IntegerField.class, "job-priority").getValue()).isEqualTo(250);
        assertThat(byId(Checkbox.class, "job-preemptible").getValue()).isTrue();
        assertThat(byId(IntegerField.class, "job-preemption-grace").getValue()).isEqualTo(90);
        assertThat(byId(TextField.class, "job-queue").getValue()).isEqualTo("team-vision");
        jobService.delete(job.id(), "test");
    }

    @Test
    void aNewJobHasTheDefaultPriorityNoQueueAndTheDefaultGrace() {
        signIn(Role.OPERATOR);
        open("jobs/new");
        assertThat(byId(IntegerField.class, "job-priority").getValue()).isZero();
        assertThat(byId(Checkbox.class, "job-preemptible").getValue()).isFalse();
        assertThat(byId(IntegerField.class, "job-preemption-grace").getValue())
                .isEqualTo(JobDefinition.DEFAULT_PREEMPTION_GRACE_SECONDS);
        assertThat(byId(TextField.class, "job-queue").getValue()).isEmpty();
        assertThat(byId(IntegerField.class, "job-priority").getHelperText()).contains("-1000 to 1000");
        assertThat(byId(TextField.class, "job-queue").getHelperText()).contains("quota");
        String name = unique("ui-defaults");
        set("job-name", name);
        set("job-handler", "echo");
        set("job-priority", null);
        click("job-save");

        JobDefinition job = jobStore.findByName(name).orElseThrow();
        assertThat(job.priority()).isZero();
        assertThat(job.preemptible()).isFalse();
        assertThat(job.queue()).isEmpty();
        assertThat(job.preemptionGraceSeconds()).isEqualTo(JobDefinition.DEFAULT_PREEMPTION_GRACE_SECONDS);
        jobService.delete(job.id(), "test");
    }

    @Test
    void aBadPriorityGraceOrQueueIsShownNextToItsFieldAndSaveStoresNothing() {
        signIn(Role.OPERATOR);
        open("jobs/new");
        String name = unique("ui-bad-rank");
        set("job-name", name);
        set("job-handler", "echo");
        IntegerField priority = byId(IntegerField.class, "job-priority");
        IntegerField grace = byId(IntegerField.class, "job-preemption-grace");
        TextField queue = byId(TextField.class, "job-queue");

        set("job-priority", 1001);
        assertThat(priority.isInvalid()).isTrue();
        assertThat(priority.getErrorMessage()).isEqualTo("must be between -1000 and 1000, was 1001");
        click("job-save");
        assertThat(jobStore.findByName(name)).isEmpty();
        set("job-priority", -1000);
        assertThat(priority.isInvalid()).isFalse();

        set("job-preemption-grace", 3601);
        assertThat(grace.isInvalid()).isTrue();
        assertThat(grace.getErrorMessage()).isEqualTo("must be between 0 and 3600, was 3601");
        // The model checks the grace of any job, so the field stays editable while the job is not preemptible.
        set("job-preemptible", true);
        set("job-preemptible", false);
        assertThat(grace.isEnabled()).isTrue();
        set("job-preemption-grace", 0);
        assertThat(grace.isInvalid()).isFalse();

        set("job-queue", "team a");
        assertThat(queue.isInvalid()).isTrue();
        assertThat(queue.getErrorMessage()).startsWith("'team a' is not a valid name");
        click("job-save");
        assertThat(jobStore.findByName(name)).isEmpty();

        set("job-queue", " team-a ");
        assertThat(queue.isInvalid()).isFalse();
        click("job-save");
        JobDefinition job = jobStore.findByName(name).orElseThrow();
        assertThat(job.priority()).isEqualTo(-1000);
        assertThat(job.preemptionGraceSeconds()).isZero();
        assertThat(job.queue()).isEqualTo("team-a");
        jobService.delete(job.id(), "test");
    }

    @Test
    void anInvalidCronIsShownNextToTheFieldAndSaveStoresNothing() {
        signIn(Role.OPERATOR);
        open("jobs/new");
        String name = unique("ui-bad-cron");
        set("job-name", name);
        set("job-handler", "echo");
        set("job-schedule-kind", ScheduleType.CRON);

        set("job-cron", "0 0 25 * * ?");

        TextField cron = byId(TextField.class, "job-cron");
        assertThat(cron.isInvalid()).isTrue();
        assertThat(cron.getErrorMessage()).startsWith("'0 0 25 * * ?' is not valid");
        assertThat(previewLines()).singleElement().asString().startsWith("'0 0 25 * * ?' is not valid");

        click("job-save");

        assertThat(jobStore.findByName(name)).isEmpty();
        assertThat(currentView()).isInstanceOf(JobEditorView.class);
        assertThat(cron.isInvalid()).isTrue();

        set("job-cron", "0 0 23 * * ?");
        assertThat(cron.isInvalid()).isFalse();
    }

    @Test
    void theCronPreviewShowsTheNextFiveTimesInTheJobsZone() {
        signIn(Role.OPERATOR);
        open("jobs/new");
        set("job-schedule-kind", ScheduleType.CRON);
        set("job-cron", "0 15 10 * * ?");

        set("job-timezone", ZoneId.of("Asia/Kolkata"));

        assertThat(previewLines()).hasSize(5).allSatisfy(line -> assertThat(line).contains("10:15:00 +05:30 (IST)"));

        set("job-timezone", ZoneId.of("UTC"));
        assertThat(previewLines()).hasSize(5).allSatisfy(line -> assertThat(line).contains("10:15:00 +00:00 (UTC)"));

        set("job-cron", "0 0 0 30 2 ?");
        assertThat(previewLines()).singleElement().asString().contains("never fires");
    }

    @Test
    void aModelRuleIsShownNextToTheFieldItNames() {
        signIn(Role.OPERATOR);
        open("jobs/new");
        set("job-name", unique("ui-rules"));
        set("job-handler", "echo");

        set("job-shards", 0);
        assertThat(byId(com.vaadin.flow.component.textfield.IntegerField.class, "job-shards").getErrorMessage())
                .isEqualTo("must be between 1 and 10000, was 0");

        set("job-shards", 1);
        set("job-accel-kind", "GPU");
        set("job-routing", RoutingStrategy.SHARDING_BROADCAST);
        assertThat(byId(com.vaadin.flow.component.select.Select.class, "job-routing").getErrorMessage())
                .contains("cannot be combined with an accelerator requirement");
    }

    @Test
    void whileTypingOnlyFieldsTheUserChangedAreFlaggedButSaveFlagsTheRest() {
        signIn(Role.OPERATOR);
        open("jobs/new");
        TextField handler = byId(TextField.class, "job-handler");

        set("job-name", unique("ui-typing"));
        assertThat(handler.isInvalid()).isFalse();

        click("job-save");
        assertThat(handler.isInvalid()).isTrue();
        assertThat(handler.getErrorMessage()).isEqualTo("must not be empty");

        set("job-handler", "echo");
        assertThat(handler.isInvalid()).isFalse();
    }

    @Test
    void aTakenNameIsShownNextToTheName() {
        JobDefinition existing = stored(echo(unique("ui-taken")));
        signIn(Role.OPERATOR);
        open("jobs/new");
        set("job-name", existing.name());
        set("job-handler", "echo");

        click("job-save");

        TextField name = byId(TextField.class, "job-name");
        assertThat(name.isInvalid()).isTrue();
        assertThat(name.getErrorMessage()).contains("exists");
        assertThat(jobStore.list(existing.name(), 0, 10)).hasSize(1);
    }

    @Test
    void anOperatorChangesAJobAndItKeepsBeingPaused() {
        JobDefinition job = stored(echo(unique("ui-change")).enabled(false));
        signIn(Role.OPERATOR);
        open("jobs/" + job.id());

        set("job-shards", 3);
        set("job-schedule-kind", ScheduleType.FIXED_RATE);
        set("job-rate", 45);
        set("job-priority", -5);
        set("job-queue", "batch");
        click("job-save");

        JobDefinition changed = jobStore.find(job.id()).orElseThrow();
        assertThat(changed.shardCount()).isEqualTo(3);
        assertThat(changed.schedule()).isEqualTo(Schedule.fixedRate(45));
        assertThat(changed.enabled()).isFalse();
        assertThat(changed.params()).isEqualTo("hi");
        assertThat(changed.priority()).isEqualTo(-5);
        assertThat(changed.queue()).isEqualTo("batch");
        assertThat(changed.preemptible()).isFalse();
        assertThat(changed.preemptionGraceSeconds()).isEqualTo(JobDefinition.DEFAULT_PREEMPTION_GRACE_SECONDS);
    }

    private static List<String> previewLines() {
        return _find(byId(UnorderedList.class, "cron-preview"), ListItem.class).stream()
                .map(item -> item.getText()).toList();
    }
}
