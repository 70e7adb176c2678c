package io.tessera.admin.ui.jobs;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.binder.Binder;
import com.vaadin.flow.data.converter.StringToLongConverter;
import com.vaadin.flow.data.value.HasValueChangeMode;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.tessera.admin.store.JobStore;
import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.schedule.ScheduleType;
import io.tessera.core.validation.ValidationException;

import java.time.Clock;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Every field of a job, bound to a {@link JobFormBean}. The form checks itself as the user types by
 * building the {@link JobDefinition} from a draft, so the model's own validation decides, and shows
 * the model's message next to the field it names. The schedule's next fire times show under it.
 */
public class JobForm extends FormLayout {

    private static final int FULL = 3;

    private final TextField name = text("job-name", "Name");
    private final TextField group = text("job-group", "Executor group");
    private final TextField handler = text("job-handler", "Handler");
    private final TextArea params = new TextArea("Params");
    private final Select<ScheduleType> scheduleKind = new Select<>();
    private final TextField cron = text("job-cron", "Cron expression");
    private final IntegerField rate = integer("job-rate", "Every (seconds)");
    private final ComboBox<ZoneId> zone = new ComboBox<>("Time zone");
    private final UnorderedList preview = new UnorderedList();
    private final IntegerField shards = integer("job-shards", "Shards");
    private final TextField acceleratorKind = text("job-accel-kind", "Accelerator kind");
    private final IntegerField acceleratorCount = integer("job-accel-count", "Devices per shard");
    private final TextField acceleratorModel = text("job-accel-model", "Model");
    private final TextField acceleratorMemory = text("job-accel-memory", "Memory per device at least (MiB)");
    private final Checkbox gang = new Checkbox("Gang: all shards at once, or none");
    private final IntegerField priority = integer("job-priority", "Priority");
    private final Checkbox preemptible = new Checkbox("Preemptible");
    private final IntegerField preemptionGrace = integer("job-preemption-grace", "Preemption grace (seconds)");
    private final TextField queue = text("job-queue", "Quota queue");
    private final Select<RoutingStrategy> routing = select("job-routing", "Routing", RoutingStrategy.values());
    private final Select<BlockStrategy> blockStrategy = select("job-block", "When still running", BlockStrategy.values());
    private final Select<MisfirePolicy> misfire = select("job-misfire", "Missed fires", MisfirePolicy.values());
    private final IntegerField retries = integer("job-retries", "Retries");
    private final IntegerField timeout = integer("job-timeout", "Timeout per shard (seconds)");
    private final IntegerField maxWait = integer("job-max-wait", "Wait for devices at most (seconds)");
    private final MultiSelectComboBox<Long> children = new MultiSelectComboBox<>("Child jobs (fired when a run succeeds)");
    private final Span formError = new Span();

    private final Binder<JobFormBean> binder = new Binder<>();
    private final JobStore jobs;
    private final Clock clock;
    /** Child job names by id, filled as the picker fetches them. */
    private final Map<Long, String> jobNames = new ConcurrentHashMap<>();
    private JobFormBean base = JobFormBean.blank();
    /** Fields the user changed since the job was read: as they type, only these are complained about. */
    private final Set<Object> touched = new HashSet<>();
    private HasValidation marked;
    private boolean reading;

    public JobForm(JobStore jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
        setId("job-form");
        setResponsiveSteps(new ResponsiveStep("0", 1), new ResponsiveStep("640px", 2), new ResponsiveStep("1024px", FULL));
        configureFields();
        bind();
        layOut();
        binder.addValueChangeListener(change -> {
            if (!reading) {
                touched.add(change.getHasValue());
                check(false);
            }
        });
        scheduleKind.addValueChangeListener(change -> showScheduleFields());
        acceleratorKind.addValueChangeListener(change -> enableAcceleratorFields());
    }

    /** Shows this job (or a new one) without complaining about anything yet. */
    public void read(JobFormBean bean) {
        base = bean.copy();
        for (Long child : bean.getChildJobIds()) {
            jobs.find(child).ifPresent(job -> jobNames.put(child, job.name()));
        }
        reading = true;
        try {
            binder.readBean(bean);
        } finally {
            reading = false;
        }
        touched.clear();
        clearMark();
        showScheduleFields();
        enableAcceleratorFields();
        showPreview(bean);
    }

    public void setReadOnly(boolean readOnly) {
        binder.setReadOnly(readOnly);
    }

    /**
     * Checks every field and the job they make, and shows what is wrong, wherever it is.
     *
     * @return the job, valid as far as the model can tell; empty when something is shown as wrong
     */
    public Optional<JobDefinition> validate() {
        return check(true);
    }

    /**
     * @param everywhere false while the user types: a complaint about a field they have not reached
     *                   yet waits until they change it or save
     */
    private Optional<JobDefinition> check(boolean everywhere) {
        clearMark();
        boolean fieldsOk = binder.validate().isOk();
        JobFormBean draft = base.copy();
        binder.writeBeanAsDraft(draft);
        showPreview(draft);
        if (!fieldsOk) {
            return Optional.empty();
        }
        try {
            JobDefinition job = draft.toDefinition();
            job.schedule().requireFiresAfter(clock.instant());
            return Optional.of(job);
        } catch (ValidationException e) {
            HasValidation target = fieldFor(e.field());
            if (everywhere || target == null || touched.contains(target)) {
                showProblem(e);
            }
            return Optional.empty();
        }
    }

    /** Shows the model's complaint next to the field it names, or above the buttons if none does. */
    public void showProblem(ValidationException problem) {
        showError(problem.field(), problem.reason(), problem.getMessage());
    }

    /** Shows a complaint about one of the model's fields ({@code name}, {@code handler}, ...). */
    public void showError(String modelField, String message) {
        showError(modelField, message, modelField + ": " + message);
    }

    private void showError(String modelField, String nextToField, String onItsOwn) {
        clearMark();
        HasValidation target = fieldFor(modelField);
        if (target == null) {
            formError.setText(onItsOwn);
            formError.setVisible(true);
            return;
        }
        target.setErrorMessage(nextToField);
        target.setInvalid(true);
        marked = target;
    }

    private HasValidation fieldFor(String modelField) {
        Map<String, HasValidation> fields = new HashMap<>();
        fields.put("name", name);
        fields.put("group", group);
        fields.put("handler", handler);
        fields.put("params", params);
        fields.put("schedule.type", scheduleKind);
        fields.put("schedule.expression", scheduleKind.getValue() == ScheduleType.FIXED_RATE ? rate : cron);
        fields.put("schedule.timezone", zone);
        fields.put("shards", shards);
        fields.put("accelerators", acceleratorKind);
        fields.put("accelerators.kind", acceleratorKind);
        fields.put("accelerators.count", acceleratorCount);
        fields.put("accelerators.model", acceleratorModel);
        fields.put("accelerators.minMemoryMb", acceleratorMemory);
        fields.put("gang", gang);
        fields.put("routing", routing);
        fields.put("blockStrategy", blockStrategy);
        fields.put("misfire", misfire);
        fields.put("timeoutSeconds", timeout);
        fields.put("maxRetries", retries);
        fields.put("maxWaitSeconds", maxWait);
        fields.put("childJobIds", children);
        fields.put("priority", priority);
        fields.put("preemptible", preemptible);
        fields.put("preemptionGraceSeconds", preemptionGrace);
        fields.put("queue", queue);
        return fields.get(modelField);
    }

    private void clearMark() {
        if (marked != null) {
            marked.setInvalid(false);
            marked.setErrorMessage(null);
            marked = null;
        }
        formError.setText("");
        formError.setVisible(false);
    }

    private void showPreview(JobFormBean draft) {
        SchedulePreview next = SchedulePreview.of(draft.getScheduleType(), draft.scheduleExpression(), draft.getZone(),
                clock.instant());
        preview.removeAll();
        preview.getElement().setAttribute("data-state", next.message() == null ? "times" : next.error() ? "error" : "none");
        if (next.message() != null) {
            ListItem message = new ListItem(next.message());
            message.addClassName(next.error() ? "tessera-preview-error" : "tessera-preview-note");
            preview.add(message);
            return;
        }
        next.times().forEach(time -> preview.add(new ListItem(time)));
    }

    private void showScheduleFields() {
        ScheduleType type = scheduleKind.getValue();
        cron.setVisible(type == ScheduleType.CRON);
        zone.setVisible(type == ScheduleType.CRON);
        rate.setVisible(type == ScheduleType.FIXED_RATE);
    }

    private void enableAcceleratorFields() {
        boolean needed = !acceleratorKind.getValue().isBlank();
        acceleratorCount.setEnabled(needed);
        acceleratorModel.setEnabled(needed);
        acceleratorMemory.setEnabled(needed);
    }

    private void configureFields() {
        name.setRequiredIndicatorVisible(true);
        name.setHelperText("letters, digits, '.', '_' and '-'; unique");
        group.setHelperText("the executors that run it");
        handler.setRequiredIndicatorVisible(true);
        handler.setHelperText("a Java handler's name, or '" + JobDefinition.COMMAND_HANDLER
                + "' to run the params as a command line (ADMIN only)");
        params.setId("job-params");
        params.setValueChangeMode(ValueChangeMode.LAZY);
        params.setHelperText("handed to the handler; the command line for '" + JobDefinition.COMMAND_HANDLER + "'");

        scheduleKind.setId("job-schedule-kind");
        scheduleKind.setLabel("Schedule");
        scheduleKind.setItems(ScheduleType.values());
        scheduleKind.setItemLabelGenerator(JobForm::scheduleLabel);
        cron.setPlaceholder("0 */5 * * * ?");
        cron.setHelperText("Quartz cron with seconds: s m h day-of-month month day-of-week [year]");
        zone.setId("job-timezone");
        zone.setItems(ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of).toList());
        zone.setItemLabelGenerator(ZoneId::getId);
        preview.setId("cron-preview");
        preview.addClassName("tessera-cron-preview");

        shards.setStepButtonsVisible(true);
        acceleratorKind.setPlaceholder("none");
        acceleratorKind.setHelperText("GPU, NPU, FPGA...; empty when the job needs none");
        acceleratorCount.setPlaceholder("1");
        acceleratorModel.setPlaceholder("any");
        acceleratorModel.setHelperText("a part of the model name (H100) or a pattern (*A100*80GB*)");
        acceleratorMemory.setPlaceholder("any");
        gang.setId("job-gang");
        routing.setHelperText("for shards that need no accelerator");
        priority.setPlaceholder("0");
        priority.setHelperText("-" + JobDefinition.MAX_PRIORITY + " to " + JobDefinition.MAX_PRIORITY
                + "; waiting runs are placed highest first, and may preempt preemptible runs of lower priority");
        preemptible.setId("job-preemptible");
        preemptible.setHelperText("a higher-priority run may stop its shards and queue them again, without using a retry");
        preemptionGrace.setPlaceholder(Integer.toString(JobDefinition.DEFAULT_PREEMPTION_GRACE_SECONDS));
        preemptionGrace.setHelperText("time a preempted shard gets between SIGTERM and the kill; 0 to "
                + JobDefinition.MAX_PREEMPTION_GRACE_SECONDS);
        queue.setPlaceholder("none");
        queue.setHelperText("the team whose device quota its runs count against; empty for none");
        timeout.setHelperText("0: no timeout");
        maxWait.setHelperText("0: no limit");
        children.setId("job-children");
        children.setItems(query -> childChoices(query.getFilter().orElse(null), query.getOffset(), query.getLimit()));
        children.setItemLabelGenerator(id -> jobNames.getOrDefault(id, "job " + id) + " (#" + id + ")");
        formError.setId("job-form-error");
        formError.addClassName("tessera-form-error");
        formError.setVisible(false);
    }

    private Stream<Long> childChoices(String nameFilter, int offset, int limit) {
        return jobs.list(nameFilter == null || nameFilter.isBlank() ? null : nameFilter.trim(), offset, limit).stream()
                .peek(job -> jobNames.put(job.id(), job.name()))
                .map(JobDefinition::id);
    }

    private void bind() {
        binder.forField(name).bind(JobFormBean::getName, JobFormBean::setName);
        binder.forField(group).bind(JobFormBean::getGroup, JobFormBean::setGroup);
        binder.forField(handler).bind(JobFormBean::getHandler, JobFormBean::setHandler);
        binder.forField(params).bind(JobFormBean::getParams, JobFormBean::setParams);
        binder.forField(scheduleKind).bind(JobFormBean::getScheduleType, JobFormBean::setScheduleType);
        binder.forField(cron).bind(JobFormBean::getCron, JobFormBean::setCron);
        binder.forField(rate).bind(JobFormBean::getRateSeconds, JobFormBean::setRateSeconds);
        binder.forField(zone).bind(JobFormBean::getZone, JobFormBean::setZone);
        binder.forField(shards).bind(JobFormBean::getShards, JobFormBean::setShards);
        binder.forField(acceleratorKind).bind(JobFormBean::getAcceleratorKind, JobFormBean::setAcceleratorKind);
        binder.forField(acceleratorCount).bind(JobFormBean::getAcceleratorCount, JobFormBean::setAcceleratorCount);
        binder.forField(acceleratorModel).bind(JobFormBean::getAcceleratorModel, JobFormBean::setAcceleratorModel);
        binder.forField(acceleratorMemory).withNullRepresentation("")
                .withConverter(new StringToLongConverter("enter a whole number of MiB"))
                .bind(JobFormBean::getAcceleratorMemoryMb, JobFormBean::setAcceleratorMemoryMb);
        binder.forField(gang).bind(JobFormBean::isGang, JobFormBean::setGang);
        binder.forField(routing).bind(JobFormBean::getRouting, JobFormBean::setRouting);
        binder.forField(blockStrategy).bind(JobFormBean::getBlockStrategy, JobFormBean::setBlockStrategy);
        binder.forField(misfire).bind(JobFormBean::getMisfire, JobFormBean::setMisfire);
        binder.forField(retries).bind(JobFormBean::getMaxRetries, JobFormBean::setMaxRetries);
        binder.forField(timeout).bind(JobFormBean::getTimeoutSeconds, JobFormBean::setTimeoutSeconds);
        binder.forField(maxWait).bind(JobFormBean::getMaxWaitSeconds, JobFormBean::setMaxWaitSeconds);
        binder.forField(children).bind(JobFormBean::getChildJobIds, JobFormBean::setChildJobIds);
        binder.forField(priority).bind(JobFormBean::getPriority, JobFormBean::setPriority);
        binder.forField(preemptible).bind(JobFormBean::isPreemptible, JobFormBean::setPreemptible);
        binder.forField(preemptionGrace).bind(JobFormBean::getPreemptionGraceSeconds, JobFormBean::setPreemptionGraceSeconds);
        binder.forField(queue).bind(JobFormBean::getQueue, JobFormBean::setQueue);
    }

    private void layOut() {
        add(heading("Job"), FULL);
        add(name, group, handler);
        add(params, FULL);
        add(heading("Schedule"), FULL);
        add(scheduleKind, cron, rate, zone);
        Div previewBox = new Div(new Span("Next fire times"), preview);
        previewBox.addClassName("tessera-cron-preview-box");
        add(previewBox, FULL);
        add(heading("Shards and accelerators"), FULL);
        add(shards, gang, routing);
        add(acceleratorKind, acceleratorCount, acceleratorModel, acceleratorMemory);
        add(heading("Priority, preemption and quota"), FULL);
        add(priority, preemptible, preemptionGrace);
        add(queue);
        add(heading("Behaviour"), FULL);
        add(blockStrategy, misfire, retries, timeout, maxWait);
        add(children, FULL);
        add(formError, FULL);
    }

    private static Component heading(String text) {
        H3 heading = new H3(text);
        heading.addClassName("tessera-form-heading");
        return heading;
    }

    private static TextField text(String id, String label) {
        TextField field = new TextField(label);
        field.setId(id);
        lazy(field);
        return field;
    }

    /** No min or max on the field: the model's ranges decide, and say so in their own words. */
    private static IntegerField integer(String id, String label) {
        IntegerField field = new IntegerField(label);
        field.setId(id);
        field.setI18n(new IntegerField.IntegerFieldI18n().setBadInputErrorMessage("enter a whole number"));
        lazy(field);
        return field;
    }

    private static void lazy(HasValueChangeMode field) {
        field.setValueChangeMode(ValueChangeMode.LAZY);
    }

    private static <T extends Enum<T>> Select<T> select(String id, String label, T[] values) {
        Select<T> select = new Select<>();
        select.setId(id);
        select.setLabel(label);
        select.setItems(values);
        return select;
    }

    static String scheduleLabel(ScheduleType type) {
        return switch (type) {
            case CRON -> "Cron";
            case FIXED_RATE -> "Fixed rate";
            case NONE -> "Manual only";
        };
    }
}
