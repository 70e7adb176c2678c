package io.tessera.admin.ui.jobs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import io.tessera.admin.api.ApiClient;
import io.tessera.admin.engine.CommandJobPolicy;
import io.tessera.admin.store.Role;
import io.tessera.core.model.JobDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.security.access.AccessDeniedException;

import java.util.List;

import static com.github.mvysny.kaributesting.v10.LocatorJ._assertNone;
import static com.github.mvysny.kaributesting.v10.LocatorJ._assertOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Viewers read; operators change jobs but not command jobs; the server refuses whatever the page showed. */
class JobRolesTest extends JobsUiTestBase {

    private static final List<String> CHANGE_CONTROLS = List.of("job-save", "job-trigger", "job-pause", "job-resume",
            "job-delete");

    @Test
    void aViewerSeesJobsWithoutAnyControlThatChangesThem() {
        JobDefinition job = stored(echo(unique("ui-viewer")));
        signIn(Role.VIEWER);

        open("jobs");
        _assertNone(Button.class, spec -> spec.withId("job-new"));

        open("jobs/" + job.id());
        CHANGE_CONTROLS.forEach(id -> _assertNone(Button.class, spec -> spec.withId(id)));
        assertThat(byId(TextField.class, "job-name").isReadOnly()).isTrue();
        assertThat(byId(TextField.class, "job-group").isReadOnly()).isTrue();
        assertThat(byId(TextArea.class, "job-params").isReadOnly()).isTrue();

        open("jobs/new");
        assertThat(currentView()).isInstanceOf(JobsView.class);
    }

    @Test
    void aViewerCallingAChangeIsRefusedByTheServer() {
        JobDefinition job = stored(echo(unique("ui-viewer-calls")));
        signIn(Role.VIEWER);
        open("jobs/" + job.id());
        JobActions actions = context.getBean(JobActions.class);

        assertThatThrownBy(() -> actions.setEnabled(job.id(), false)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> actions.delete(job.id())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> actions.trigger(job.id(), null)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> actions.save(job.toBuilder().shardCount(9).build())).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> actions.save(echo(unique("ui-viewer-new")).build())).isInstanceOf(AccessDeniedException.class);

        assertThat(jobStore.find(job.id()).orElseThrow()).isEqualTo(job);
        assertThat(runStore.count(job.id(), null, null, null)).isZero();
    }

    @Test
    void anOperatorCannotSaveACommandJobAndNeitherCanItsApiToken() {
        String name = unique("ui-command");
        ApiClient.Reply api = this.api.post("/api/v1/jobs", token(Role.OPERATOR),
                "{\"name\":\"" + name + "\",\"handler\":\"command\",\"params\":\"echo hi\"}");
        assertThat(api.status()).isEqualTo(403);
        assertThat(api.json().get("field").asText()).isEqualTo("handler");

        signIn(Role.OPERATOR);
        open("jobs/new");
        set("job-name", name);
        set("job-handler", "command");
        set("job-params", "echo hi");
        click("job-save");

        TextField handler = byId(TextField.class, "job-handler");
        assertThat(handler.isInvalid()).isTrue();
        assertThat(handler.getErrorMessage()).isEqualTo("only an ADMIN may create a job that uses the 'command' handler");
        assertThat(jobStore.findByName(name)).isEmpty();

        signIn(Role.ADMIN);
        click("job-save");
        assertThat(jobStore.findByName(name)).isPresent();
    }

    @Test
    void anOperatorMayTriggerPauseAndResumeACommandJobButNotEditOrDeleteIt() {
        JobDefinition job = stored(JobDefinition.builder(unique("ui-command-stored")).group(GROUP).handler("command")
                .params("true"));
        signIn(Role.OPERATOR);
        open("jobs/" + job.id());

        assertThat(byId(TextField.class, "job-handler").isReadOnly()).isTrue();
        _assertNone(Button.class, spec -> spec.withId("job-save"));
        _assertNone(Button.class, spec -> spec.withId("job-delete"));
        _assertOne(Button.class, spec -> spec.withId("job-trigger"));
        _assertOne(Button.class, spec -> spec.withId("job-pause"));
        click("job-trigger");
        assertThat(byId(TextArea.class, "trigger-params").isReadOnly()).isTrue();

        JobActions actions = context.getBean(JobActions.class);
        assertThatThrownBy(() -> actions.delete(job.id())).isInstanceOf(CommandJobPolicy.RefusedException.class);
        assertThatThrownBy(() -> actions.save(job.toBuilder().params("rm -rf /").build()))
                .isInstanceOf(CommandJobPolicy.RefusedException.class);
        assertThatThrownBy(() -> actions.trigger(job.id(), "rm -rf /"))
                .isInstanceOf(CommandJobPolicy.RefusedException.class);
        assertThat(actions.setEnabled(job.id(), false)).isTrue();
        assertThat(jobStore.find(job.id()).orElseThrow().enabled()).isFalse();
        assertThat(jobStore.find(job.id()).orElseThrow().params()).isEqualTo("true");
        jobService.delete(job.id(), "test");
    }

    @Test
    void anOperatorCannotTurnAJobIntoACommandJob() {
        JobDefinition job = stored(echo(unique("ui-to-command")));
        signIn(Role.OPERATOR);
        open("jobs/" + job.id());

        set("job-handler", "command");
        click("job-save");

        assertThat(byId(TextField.class, "job-handler").getErrorMessage())
                .isEqualTo("only an ADMIN may change a job to use the 'command' handler");
        assertThat(jobStore.find(job.id()).orElseThrow().handler()).isEqualTo("echo");
    }
}
