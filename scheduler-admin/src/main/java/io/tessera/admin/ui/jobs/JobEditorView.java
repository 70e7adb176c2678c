package io.tessera.admin.ui.jobs;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import io.tessera.admin.engine.CommandJobPolicy;
import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.admin.store.JobStore;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.validation.ValidationException;
import jakarta.annotation.security.RolesAllowed;

import java.time.Clock;
import java.util.Optional;

/**
 * One job: {@code jobs/new} creates one, {@code jobs/<id>} shows and changes a stored one. Viewers,
 * and operators looking at a command job, see the form read-only.
 */
@Route("jobs/:jobId")
@RolesAllowed("VIEWER")
public class JobEditorView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String NEW = "new";

    private final JobStore jobs;
    private final JobActions actions;
    private final H2 title = new H2();
    private final Span state = new Span();
    private final Paragraph missing = new Paragraph();
    private final JobCommandBar commands;
    private final JobForm form;
    private final Button save = new Button("Save");
    private final Button cancel = new Button("Back to jobs");
    private final HorizontalLayout buttons = new HorizontalLayout(save, cancel);
    private JobDefinition job;

    public JobEditorView(JobStore jobs, JobActions actions) {
        this.jobs = jobs;
        this.actions = actions;
        this.form = new JobForm(jobs, Clock.systemUTC());
        this.commands = new JobCommandBar(actions, this::reload);
        setMaxWidth("1280px");
        state.setId("job-state");
        HorizontalLayout header = new HorizontalLayout(title, state);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        title.getStyle().set("margin", "0");
        save.setId("job-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(click -> save());
        cancel.setId("job-cancel");
        cancel.addClickListener(click -> UI.getCurrent().navigate(JobsView.class));
        missing.setId("job-missing");
        missing.setVisible(false);
        add(header, missing, commands, form, buttons);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String parameter = event.getRouteParameters().get("jobId").orElse(NEW);
        if (NEW.equals(parameter)) {
            if (!actions.mayChangeJobs()) {
                event.forwardTo(JobsView.class);
                return;
            }
            showNew();
            return;
        }
        Optional<JobDefinition> stored = parseId(parameter).flatMap(jobs::find);
        if (stored.isEmpty()) {
            showMissing(parameter);
            return;
        }
        show(stored.get());
    }

    @Override
    public String getPageTitle() {
        return (job == null ? "New job" : job.name()) + " · Tessera";
    }

    private void showNew() {
        job = null;
        missing.setVisible(false);
        form.setVisible(true);
        title.setText("New job");
        state.setVisible(false);
        commands.setVisible(false);
        form.read(JobFormBean.blank());
        form.setReadOnly(false);
        save.setVisible(true);
        cancel.setText("Cancel");
    }

    private void show(JobDefinition shown) {
        job = shown;
        missing.setVisible(false);
        form.setVisible(true);
        title.setText(shown.name());
        state.setVisible(true);
        JobsView.styleState(state, shown.enabled());
        commands.show(shown);
        form.read(JobFormBean.of(shown));
        boolean editable = actions.mayEdit(shown);
        form.setReadOnly(!editable);
        save.setVisible(editable);
        cancel.setText(editable ? "Cancel" : "Back to jobs");
    }

    private void showMissing(String parameter) {
        job = null;
        title.setText("No such job");
        missing.setText("There is no job '" + parameter + "'; it may have been deleted.");
        missing.setVisible(true);
        state.setVisible(false);
        commands.setVisible(false);
        form.setVisible(false);
        save.setVisible(false);
        cancel.setText("Back to jobs");
    }

    /** After pause or resume: the same job as the store has it now. */
    private void reload() {
        jobs.find(job.id()).ifPresentOrElse(this::show, () -> UI.getCurrent().navigate(JobsView.class));
    }

    private void save() {
        Optional<JobDefinition> checked = form.validate();
        if (checked.isPresent()) {
            Notices.attempt("Saving " + checked.get().name(), () -> store(checked.get()));
        }
    }

    /** Stores the job; what the user can fix shows next to the field, as the form's own checks do. */
    private void store(JobDefinition checked) {
        Optional<JobDefinition> stored;
        try {
            stored = actions.save(checked);
        } catch (ValidationException e) {
            form.showProblem(e);
            return;
        } catch (DuplicateKeyException e) {
            form.showError("name", "a job named '" + checked.name() + "' exists; choose another name");
            return;
        } catch (CommandJobPolicy.RefusedException e) {
            form.showError("handler", "only an ADMIN may " + e.action());
            return;
        }
        if (stored.isEmpty()) {
            Notices.error("Saving " + checked.name() + " failed: the job no longer exists");
            return;
        }
        Notices.success((job == null ? "Created " : "Saved ") + stored.get().name());
        if (job == null) {
            UI.getCurrent().navigate("jobs/" + stored.get().id());
        } else {
            show(stored.get());
        }
    }

    private static Optional<Long> parseId(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
