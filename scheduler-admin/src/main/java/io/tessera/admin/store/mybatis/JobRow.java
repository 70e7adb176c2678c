package io.tessera.admin.store.mybatis;

import io.tessera.admin.store.JobLimits;
import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.schedule.Schedule;
import io.tessera.core.schedule.ScheduleType;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** One row of {@code job}, column for column. */
public class JobRow {
    public Long id;
    public String name;
    public String jobGroup;
    public String scheduleType;
    public String scheduleExpr;
    public String scheduleZone;
    public String handler;
    public String params;
    public int shardCount;
    public String accelerators;
    public boolean gang;
    public String routing;
    public String blockStrategy;
    public String misfire;
    public int timeoutSeconds;
    public int maxRetries;
    public int maxWaitSeconds;
    public String childJobIds;
    public boolean enabled;
    public int priority;
    public boolean preemptible;
    public String queueName;
    public int preemptionGraceSeconds;
    public int version;
    public Instant createdAt;
    public Instant updatedAt;

    static JobRow of(JobDefinition job, Instant now) {
        JobRow row = new JobRow();
        row.id = job.id();
        row.name = job.name();
        row.jobGroup = job.group();
        row.scheduleType = job.schedule().type().name();
        row.scheduleExpr = job.schedule().expression();
        row.scheduleZone = job.schedule().zone().getId();
        row.handler = job.handler();
        row.params = job.params();
        row.shardCount = job.shardCount();
        row.accelerators = AcceleratorColumn.write(job.accelerators());
        row.gang = job.gang();
        row.routing = job.routing().name();
        row.blockStrategy = job.blockStrategy().name();
        row.misfire = job.misfire().name();
        row.timeoutSeconds = job.timeoutSeconds();
        row.maxRetries = job.maxRetries();
        row.maxWaitSeconds = job.maxWaitSeconds();
        row.childJobIds = JobLimits.childJobIdsText(job);
        row.enabled = job.enabled();
        row.priority = job.priority();
        row.preemptible = job.preemptible();
        row.queueName = job.queue();
        row.preemptionGraceSeconds = job.preemptionGraceSeconds();
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    /** @throws RuntimeException when a column holds what this version cannot read */
    JobDefinition toJob() {
        List<Long> children = childJobIds == null || childJobIds.isBlank() ? List.of()
                : Arrays.stream(childJobIds.split(",")).map(String::trim).map(Long::valueOf).toList();
        return JobDefinition.builder(name)
                .id(id)
                .group(jobGroup)
                .schedule(Schedule.of(ScheduleType.valueOf(scheduleType), scheduleExpr, scheduleZone))
                .handler(handler)
                .params(params)
                .shardCount(shardCount)
                .accelerators(AcceleratorColumn.read(accelerators))
                .gang(gang)
                .routing(RoutingStrategy.valueOf(routing))
                .blockStrategy(BlockStrategy.valueOf(blockStrategy))
                .misfire(MisfirePolicy.valueOf(misfire))
                .timeoutSeconds(timeoutSeconds)
                .maxRetries(maxRetries)
                .maxWaitSeconds(maxWaitSeconds)
                .childJobIds(children)
                .enabled(enabled)
                .priority(priority)
                .preemptible(preemptible)
                .queue(queueName)
                .preemptionGraceSeconds(preemptionGraceSeconds)
                .build();
    }
}
