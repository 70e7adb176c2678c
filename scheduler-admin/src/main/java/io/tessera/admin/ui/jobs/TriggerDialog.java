package io.tessera.admin.ui.jobs;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;

/**
 * "Trigger now": the params for this one run (the job's own to start with), then a notice with the
 * run's id and a way to its page.
 */
class TriggerDialog extends Dialog {

    private final TextArea params = new TextArea("Params for this run");

    TriggerDialog(JobDefinition job, JobActions actions) {
        setId("trigger-dialog");
        setHeaderTitle("Trigger " + job.name() + " now");
        params.setId("trigger-params");
        params.setWidthFull();
        params.setValue(job.params());
        if (!actions.mayOverrideParams(job)) {
            params.setReadOnly(true);
            params.setHelperText("only an ADMIN may run a '" + JobDefinition.COMMAND_HANDLER + "' job with other params");
        } else {
            params.setHelperText("change them for this run only; the job keeps its own");
        }
        add(params);
        setWidth("min(40rem, 95vw)");

        Button confirm = new Button("Trigger", click -> trigger(job, actions));
        confirm.setId("trigger-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button("Cancel", click -> close());
        cancel.setId("trigger-cancel");
        getFooter().add(cancel, confirm);
    }

    private void trigger(JobDefinition job, JobActions actions) {
        String override = params.getValue().equals(job.params()) ? null : params.getValue();
        JobRun[] run = new JobRun[1];
        if (Notices.attempt("Triggering " + job.name(), () -> run[0] = actions.trigger(job.id(), override))) {
            close();
            started(job, run[0]);
        }
    }

    private static void started(JobDefinition job, JobRun run) {
        Notification notification = new Notification();
        notification.setId("trigger-notification");
        notification.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        notification.setDuration(10_000);
        notification.setPosition(Notification.Position.BOTTOM_START);
        Span text = new Span("Run " + run.id() + " of " + job.name() + " started");
        text.setId("trigger-run-id");
        text.getElement().setAttribute("data-run-id", Long.toString(run.id()));
        Button open = new Button("Open run", click -> {
            notification.close();
            UI.getCurrent().navigate("runs/" + run.id());
        });
        open.setId("trigger-open-run");
        open.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
        HorizontalLayout content = new HorizontalLayout(text, open);
        content.setAlignItems(FlexComponent.Alignment.CENTER);
        notification.add(content);
        notification.open();
    }
}
