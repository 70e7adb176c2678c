package io.tessera.admin.ui.jobs;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import io.tessera.core.model.JobDefinition;

/**
 * What can be done to a stored job besides editing it: trigger now, pause or resume, delete. Shows
 * only what the user's role allows; {@link JobActions} checks again on the server.
 */
class JobCommandBar extends HorizontalLayout {

    private final JobActions actions;
    private final Runnable changed;
    private final Button trigger = new Button("Trigger now", VaadinIcon.PLAY.create());
    private final Button pause = new Button("Pause", VaadinIcon.PAUSE.create());
    private final Button resume = new Button("Resume", VaadinIcon.PLAY_CIRCLE.create());
    private final Button delete = new Button("Delete", VaadinIcon.TRASH.create());
    private JobDefinition job;

    /** @param changed called after the job was paused or resumed */
    JobCommandBar(JobActions actions, Runnable changed) {
        this.actions = actions;
        this.changed = changed;
        setId("job-commands");
        setWrap(true);
        trigger.setId("job-trigger");
        trigger.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        trigger.addClickListener(click -> new TriggerDialog(job, actions).open());
        pause.setId("job-pause");
        pause.addClickListener(click -> pauseOrResume(false));
        resume.setId("job-resume");
        resume.addClickListener(click -> pauseOrResume(true));
        delete.setId("job-delete");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        delete.addClickListener(click -> confirmDelete());
        add(trigger, pause, resume, delete);
    }

    void show(JobDefinition shown) {
        job = shown;
        boolean operator = actions.mayChangeJobs();
        trigger.setVisible(operator);
        pause.setVisible(operator && job.enabled());
        resume.setVisible(operator && !job.enabled());
        delete.setVisible(actions.mayEdit(job));
        setVisible(operator);
    }

    private void pauseOrResume(boolean enabled) {
        String what = (enabled ? "Resuming " : "Pausing ") + job.name();
        boolean[] found = new boolean[1];
        if (Notices.attempt(what, () -> found[0] = actions.setEnabled(job.id(), enabled))) {
            if (found[0]) {
                Notices.success(job.name() + (enabled ? " is active again" : " is paused"));
            } else {
                Notices.error(what + " failed: the job no longer exists");
            }
            changed.run();
        }
    }

    private void confirmDelete() {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setId("delete-dialog");
        dialog.setHeader("Delete " + job.name() + "?");
        dialog.setText("The job stops firing and is gone for good; its runs stay in the history.");
        dialog.setCancelable(true);
        Button confirm = new Button("Delete", click -> {
            dialog.close();
            deleteJob();
        });
        confirm.setId("delete-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        dialog.setConfirmButton(confirm);
        dialog.open();
    }

    private void deleteJob() {
        String what = "Deleting " + job.name();
        boolean[] found = new boolean[1];
        if (Notices.attempt(what, () -> found[0] = actions.delete(job.id()))) {
            if (found[0]) {
                Notices.success(job.name() + " is deleted");
            } else {
                Notices.error(what + " failed: the job no longer exists");
            }
            UI.getCurrent().navigate(JobsView.class);
        }
    }
}
