package io.tessera.admin.ui.jobs;

import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.schedule.Schedule;
import io.tessera.core.schedule.ScheduleType;

import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The job editor's state: a mutable mirror of {@link JobDefinition} that a Vaadin binder can write
 * field by field, even while it is invalid. {@link #toDefinition()} builds the real job, and with it
 * the model's own validation; nothing here re-checks a rule.
 */
public final class JobFormBean {

    private Long id;
    private boolean enabled = true;
    private String name = "";
    private String group = "";
    private String handler = "";
    private String params = "";
    private ScheduleType scheduleType = ScheduleType.NONE;
    private String cron = "";
    private Integer rateSeconds;
    private ZoneId zone = ZoneId.of("UTC");
    private Integer shards;
    private String acceleratorKind = "";
    private Integer acceleratorCount;
    private String acceleratorModel = "";
    private Long acceleratorMemoryMb;
    private boolean gang;
    private RoutingStrategy routing;
    private BlockStrategy blockStrategy;
    private MisfirePolicy misfire;
    private Integer timeoutSeconds;
    private Integer maxRetries;
    private Integer maxWaitSeconds;
    private Set<Long> childJobIds = new LinkedHashSet<>();
    private Integer priority;
    private boolean preemptible;
    private String queue = "";
    private Integer preemptionGraceSeconds;

    /** A new job with the model's defaults, and no name or handler yet. */
    public static JobFormBean blank() {
        JobFormBean bean = of(JobDefinition.builder("new").build());
        bean.name = "";
        bean.handler = "";
        return bean;
    }

    public static JobFormBean of(JobDefinition job) {
        JobFormBean bean = new JobFormBean();
        bean.id = job.id();
        bean.enabled = job.enabled();
        bean.name = job.name();
        bean.group = job.group();
        bean.handler = job.handler();
        bean.params = job.params();
        Schedule schedule = job.schedule();
        bean.scheduleType = schedule.type();
        bean.zone = schedule.zone();
        if (schedule.type() == ScheduleType.CRON) {
            bean.cron = schedule.expression();
        } else if (schedule.type() == ScheduleType.FIXED_RATE) {
            bean.rateSeconds = Integer.valueOf(schedule.expression());
        }
        bean.shards = job.shardCount();
        AcceleratorRequirement need = job.accelerators();
        if (need != null) {
            bean.acceleratorKind = need.kind();
            bean.acceleratorCount = need.count();
            bean.acceleratorModel = need.modelPattern() == null ? "" : need.modelPattern();
            bean.acceleratorMemoryMb = need.minMemoryMb() == 0 ? null : need.minMemoryMb();
        }
        bean.gang = job.gang();
        bean.routing = job.routing();
        bean.blockStrategy = job.blockStrategy();
        bean.misfire = job.misfire();
        bean.timeoutSeconds = job.timeoutSeconds();
        bean.maxRetries = job.maxRetries();
        bean.maxWaitSeconds = job.maxWaitSeconds();
        bean.childJobIds = new LinkedHashSet<>(job.childJobIds());
        bean.priority = job.priority();
        bean.preemptible = job.preemptible();
        bean.queue = job.queue();
        bean.preemptionGraceSeconds = job.preemptionGraceSeconds();
        return bean;
    }

    /**
     * The job this form describes. An empty number field means the model's default: 0, except the
     * preemption grace, which then is {@link JobDefinition#DEFAULT_PREEMPTION_GRACE_SECONDS}.
     *
     * @throws io.tessera.core.validation.ValidationException naming the model's field at fault
     *         ({@code name}, {@code schedule.expression}, {@code accelerators.count}, ...)
     */
    public JobDefinition toDefinition() {
        return JobDefinition.builder(trimmed(name))
                .id(id)
                .group(trimmed(group))
                .handler(trimmed(handler))
                .params(params)
                .schedule(Schedule.of(scheduleType, scheduleExpression(), zone == null ? null : zone.getId()))
                .shardCount(orZero(shards))
                .accelerators(accelerators())
                .gang(gang)
                .routing(routing)
                .blockStrategy(blockStrategy)
                .misfire(misfire)
                .timeoutSeconds(orZero(timeoutSeconds))
                .maxRetries(orZero(maxRetries))
                .maxWaitSeconds(orZero(maxWaitSeconds))
                .childJobIds(List.copyOf(childJobIds))
                .enabled(enabled)
                .priority(orZero(priority))
                .preemptible(preemptible)
                .queue(trimmed(queue))
                .preemptionGraceSeconds(preemptionGraceSeconds == null
                        ? JobDefinition.DEFAULT_PREEMPTION_GRACE_SECONDS : preemptionGraceSeconds)
                .build();
    }

    /** The text the schedule's type reads: the cron expression, or the period in seconds. */
    public String scheduleExpression() {
        return switch (scheduleType == null ? ScheduleType.NONE : scheduleType) {
            case CRON -> cron;
            case FIXED_RATE -> rateSeconds == null ? "" : rateSeconds.toString();
            case NONE -> "";
        };
    }

    /** No requirement while the kind is empty; the other accelerator fields then do not matter. */
    private AcceleratorRequirement accelerators() {
        if (acceleratorKind == null || acceleratorKind.isBlank()) {
            return null;
        }
        return new AcceleratorRequirement(acceleratorKind, acceleratorCount == null ? 1 : acceleratorCount,
                acceleratorModel, acceleratorMemoryMb == null ? 0 : acceleratorMemoryMb);
    }

    /** A copy to write a draft into, so that checking the form never touches this bean. */
    public JobFormBean copy() {
        JobFormBean copy = new JobFormBean();
        copy.id = id;
        copy.enabled = enabled;
        copy.name = name;
        copy.group = group;
        copy.handler = handler;
        copy.params = params;
        copy.scheduleType = scheduleType;
        copy.cron = cron;
        copy.rateSeconds = rateSeconds;
        copy.zone = zone;
        copy.shards = shards;
        copy.acceleratorKind = acceleratorKind;
        copy.acceleratorCount = acceleratorCount;
        copy.acceleratorModel = acceleratorModel;
        copy.acceleratorMemoryMb = acceleratorMemoryMb;
        copy.gang = gang;
        copy.routing = routing;
        copy.blockStrategy = blockStrategy;
        copy.misfire = misfire;
        copy.timeoutSeconds = timeoutSeconds;
        copy.maxRetries = maxRetries;
        copy.maxWaitSeconds = maxWaitSeconds;
        copy.childJobIds = new LinkedHashSet<>(childJobIds);
        copy.priority = priority;
        copy.preemptible = preemptible;
        copy.queue = queue;
        copy.preemptionGraceSeconds = preemptionGraceSeconds;
        return copy;
    }

    private static String trimmed(String text) {
        return text == null ? null : text.trim();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    public Long getId() { return id; }
    public void setId(Long id) { this.id = id; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getGroup() { return group; }
    public void setGroup(String group) { this.group = group; }
    public String getHandler() { return handler; }
    public void setHandler(String handler) { this.handler = handler; }
    public String getParams() { return params; }
    public void setParams(String params) { this.params = params; }
    public ScheduleType getScheduleType() { return scheduleType; }
    public void setScheduleType(ScheduleType scheduleType) { this.scheduleType = scheduleType; }
    public String getCron() { return cron; }
    public void setCron(String cron) { this.cron = cron; }
    public Integer getRateSeconds() { return rateSeconds; }
    public void setRateSeconds(Integer rateSeconds) { this.rateSeconds = rateSeconds; }
    public ZoneId getZone() { return zone; }
    public void setZone(ZoneId zone) { this.zone = zone; }
    public Integer getShards() { return shards; }
    public void setShards(Integer shards) { this.shards = shards; }
    public String getAcceleratorKind() { return acceleratorKind; }
    public void setAcceleratorKind(String acceleratorKind) { this.acceleratorKind = acceleratorKind; }
    public Integer getAcceleratorCount() { return acceleratorCount; }
    public void setAcceleratorCount(Integer acceleratorCount) { this.acceleratorCount = acceleratorCount; }
    public String getAcceleratorModel() { return acceleratorModel; }
    public void setAcceleratorModel(String acceleratorModel) { this.acceleratorModel = acceleratorModel; }
    public Long getAcceleratorMemoryMb() { return acceleratorMemoryMb; }
    public void setAcceleratorMemoryMb(Long acceleratorMemoryMb) { this.acceleratorMemoryMb = acceleratorMemoryMb; }
    public boolean isGang() { return gang; }
    public void setGang(boolean gang) { this.gang = gang; }
    public RoutingStrategy getRouting() { return routing; }
    public void setRouting(RoutingStrategy routing) { this.routing = routing; }
    public BlockStrategy getBlockStrategy() { return blockStrategy; }
    public void setBlockStrategy(BlockStrategy blockStrategy) { this.blockStrategy = blockStrategy; }
    public MisfirePolicy getMisfire() { return misfire; }
    public void setMisfire(MisfirePolicy misfire) { this.misfire = misfire; }
    public Integer getTimeoutSeconds() { return timeoutSeconds; }
    public void setTimeoutSeconds(Integer timeoutSeconds) { this.timeoutSeconds = timeoutSeconds; }
    public Integer getMaxRetries() { return maxRetries; }
    public void setMaxRetries(Integer maxRetries) { this.maxRetries = maxRetries; }
    public Integer getMaxWaitSeconds() { return maxWaitSeconds; }
    public void setMaxWaitSeconds(Integer maxWaitSeconds) { this.maxWaitSeconds = maxWaitSeconds; }
    public Integer getPriority() { return priority; }
    public void setPriority(Integer priority) { this.priority = priority; }
    public boolean isPreemptible() { return preemptible; }
    public void setPreemptible(boolean preemptible) { this.preemptible = preemptible; }
    public String getQueue() { return queue; }
    public void setQueue(String queue) { this.queue = queue; }
    public Integer getPreemptionGraceSeconds() { return preemptionGraceSeconds; }
    public void setPreemptionGraceSeconds(Integer preemptionGraceSeconds) { this.preemptionGraceSeconds = preemptionGraceSeconds; }
    public Set<Long> getChildJobIds() { return childJobIds; }
    public void setChildJobIds(Set<Long> childJobIds) { this.childJobIds = childJobIds == null ? new LinkedHashSet<>() : new LinkedHashSet<>(childJobIds); }
}
