package io.tessera.admin.api;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.MisfirePolicy;
import io.tessera.core.model.RoutingStrategy;
import io.tessera.core.schedule.Schedule;
import io.tessera.core.schedule.ScheduleType;

import java.util.List;

/**
 * A job as the API reads and writes it. On input every field but {@code name} may be left out and
 * takes the default shown; {@code id} is ignored (the path or the store decides it).
 */
public record JobJson(
        @Schema(accessMode = Schema.AccessMode.READ_ONLY) Long id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "nightly-report") String name,
        @Schema(defaultValue = "default") String group,
        ScheduleJson schedule,
        @Schema(defaultValue = "command") String handler,
        @Schema(example = "echo hello") String params,
        @Schema(defaultValue = "1", minimum = "1", maximum = "10000") Integer shards,
        AcceleratorsJson accelerators,
        @Schema(defaultValue = "false") Boolean gang,
        @Schema(defaultValue = "ROUND_ROBIN") RoutingStrategy routing,
        @Schema(defaultValue = "SERIAL") BlockStrategy blockStrategy,
        @Schema(defaultValue = "FIRE_ONCE") MisfirePolicy misfire,
        @Schema(defaultValue = "0") Integer timeoutSeconds,
        @Schema(defaultValue = "0") Integer maxRetries,
        @Schema(defaultValue = "0") Integer maxWaitSeconds,
        List<Long> childJobIds,
        @Schema(defaultValue = "true") Boolean enabled,
        @Schema(defaultValue = "0", minimum = "-1000", maximum = "1000",
                description = "waiting runs are placed highest priority first, then oldest first; a run that cannot"
                        + " be placed may preempt preemptible runs of lower priority") Integer priority,
        @Schema(defaultValue = "false", description = "a run of higher priority may stop this job's shards and put"
                + " them back in the queue, without using a retry") Boolean preemptible,
        @Schema(defaultValue = "", example = "research", description = "the quota queue (a team) whose device"
                + " quota the job's runs count against; empty for none. Same rules as a name") String queue,
        @Schema(defaultValue = "30", minimum = "0", maximum = "3600", description = "seconds a preempted shard has"
                + " between SIGTERM and a kill") Integer preemptionGraceSeconds) {

    /** @param timezone an IANA zone name, UTC when left out */
    public record ScheduleJson(ScheduleType type, @Schema(example = "0 */5 * * * ?") String expression,
                               @Schema(example = "Europe/Berlin") String timezone) {
    }

    /** What each shard needs; {@code model} is a substring or a glob ({@code *A100*80GB*}). */
    public record AcceleratorsJson(@Schema(example = "GPU") String kind, @Schema(defaultValue = "1") Integer count,
                                   String model, @Schema(defaultValue = "0") Long minMemoryMb) {
    }

    /** The core job this describes, validated; {@code ValidationException}s name the JSON field at fault. */
    public JobDefinition toDefinition(Long jobId) {
        JobDefinition.Builder builder = JobDefinition.builder(name).id(jobId);
        if (group != null) {
            builder.group(group);
        }
        if (schedule != null) {
            builder.schedule(Schedule.of(schedule.type(), schedule.expression(), schedule.timezone()));
        }
        if (handler != null) {
            builder.handler(handler);
        }
        if (params != null) {
            builder.params(params);
        }
        if (shards != null) {
            builder.shardCount(shards);
        }
        if (accelerators != null) {
            builder.accelerators(new AcceleratorRequirement(accelerators.kind(),
                    accelerators.count() == null ? 1 : accelerators.count(), accelerators.model(),
                    accelerators.minMemoryMb() == null ? 0 : accelerators.minMemoryMb()));
        }
        if (gang != null) {
            builder.gang(gang);
        }
        if (routing != null) {
            builder.routing(routing);
        }
        if (blockStrategy != null) {
            builder.blockStrategy(blockStrategy);
        }
        if (misfire != null) {
            builder.misfire(misfire);
        }
        if (timeoutSeconds != null) {
            builder.timeoutSeconds(timeoutSeconds);
        }
        if (maxRetries != null) {
            builder.maxRetries(maxRetries);
        }
        if (maxWaitSeconds != null) {
            builder.maxWaitSeconds(maxWaitSeconds);
        }
        if (childJobIds != null) {
            if (childJobIds.contains(null)) {
                throw new io.tessera.core.validation.ValidationException("childJobIds", "must not contain null");
            }
            builder.childJobIds(childJobIds);
        }
        if (enabled != null) {
            builder.enabled(enabled);
        }
        if (priority != null) {
            builder.priority(priority);
        }
        if (preemptible != null) {
            builder.preemptible(preemptible);
        }
        if (queue != null) {
            builder.queue(queue);
        }
        if (preemptionGraceSeconds != null) {
            builder.preemptionGraceSeconds(preemptionGraceSeconds);
        }
        return builder.build();
    }

    public static JobJson of(JobDefinition job) {
        Schedule schedule = job.schedule();
        AcceleratorRequirement need = job.accelerators();
        return new JobJson(job.id(), job.name(), job.group(),
                new ScheduleJson(schedule.type(), schedule.expression(), schedule.zone().getId()),
                job.handler(), job.params(), job.shardCount(),
                need == null ? null : new AcceleratorsJson(need.kind(), need.count(), need.modelPattern(), need.minMemoryMb()),
                job.gang(), job.routing(), job.blockStrategy(), job.misfire(), job.timeoutSeconds(), job.maxRetries(),
                job.maxWaitSeconds(), job.childJobIds(), job.enabled(), job.priority(), job.preemptible(), job.queue(),
                job.preemptionGraceSeconds());
    }
}
