package io.tessera.admin.ui.runs;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import io.tessera.admin.store.JobStore;
import io.tessera.core.model.RunStatus;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;

/**
 * The runs grid's filters: job (searched lazily by name), status, and a scheduled-time range in
 * UTC. Tells its listener the new {@link RunFilter} whenever a field changes.
 */
final class RunFilterBar extends FormLayout {

    /** The most jobs one fetch reads; the combo box asks for a page (50) at a time. */
    static final int MAX_FETCH = 1_000;

    private final JobStore jobs;
    private final ComboBox<JobChoice> job = new ComboBox<>("Job");
    private final Select<RunStatus> status = new Select<>();
    private final DateTimePicker from = new DateTimePicker("Scheduled from (UTC)");
    private final DateTimePicker to = new DateTimePicker("Scheduled before (UTC)");

    RunFilterBar(JobStore jobs, Consumer<RunFilter> listener) {
        this.jobs = jobs;
        job.setId("runs-filter-job");
        job.setPlaceholder("any");
        job.setClearButtonVisible(true);
        job.setItemLabelGenerator(JobChoice::name);
        job.setItems(query -> jobs.list(nameFilter(query.getFilter().orElse(null)), query.getOffset(),
                                Math.min(query.getLimit(), MAX_FETCH)).stream().map(JobChoice::of),
                query -> (int) jobs.count(nameFilter(query.getFilter().orElse(null))));

        status.setId("runs-filter-status");
        status.setLabel("Status");
        status.setItems(RunStatus.values());
        status.setEmptySelectionAllowed(true);
        status.setEmptySelectionCaption("any");

        from.setId("runs-filter-from");
        to.setId("runs-filter-to");
        from.setDatePlaceholder("any");
        to.setDatePlaceholder("any");

        add(job, status, from, to);
        setResponsiveSteps(new ResponsiveStep("0", 1), new ResponsiveStep("520px", 2), new ResponsiveStep("1100px", 4));
        job.addValueChangeListener(event -> listener.accept(filter()));
        status.addValueChangeListener(event -> listener.accept(filter()));
        from.addValueChangeListener(event -> listener.accept(filter()));
        to.addValueChangeListener(event -> listener.accept(filter()));
    }

    /** The filter the fields say now; marks a range that ends before it starts, next to its end. */
    RunFilter filter() {
        Instant start = utc(from.getValue());
        Instant end = utc(to.getValue());
        boolean backwards = start != null && end != null && !end.isAfter(start);
        to.setInvalid(backwards);
        to.setErrorMessage(backwards ? "must be after the start of the range" : null);
        JobChoice chosen = job.getValue();
        return new RunFilter(chosen == null ? null : chosen.id(), status.getValue(), start, end);
    }

    /** Empties every field: the address alone then says what is filtered on. */
    void clear() {
        job.clear();
        status.clear();
        from.clear();
        to.clear();
        job.setInvalid(false);
        status.setInvalid(false);
    }

    /** Preselects a job by id, as a link from elsewhere asks; a job that no longer exists is still filtered on. */
    void selectJob(long jobId) {
        job.setValue(jobs.find(jobId).map(JobChoice::of).orElse(new JobChoice(jobId, "job " + jobId + " (deleted)")));
    }

    void selectStatus(RunStatus value) {
        status.setValue(value);
    }

    /** Shows a problem with the address's {@code jobId} next to the job field. */
    void rejectJob(String message) {
        job.setInvalid(true);
        job.setErrorMessage(message);
    }

    /** Shows a problem with the address's {@code status} next to the status field. */
    void rejectStatus(String message) {
        status.setInvalid(true);
        status.setErrorMessage(message);
    }

    private static String nameFilter(String typed) {
        return typed == null || typed.isBlank() ? null : typed.strip();
    }

    private static Instant utc(LocalDateTime time) {
        return time == null ? null : time.toInstant(ZoneOffset.UTC);
    }
}
