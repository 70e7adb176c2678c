package io.tessera.core.model;

import io.tessera.core.schedule.Schedule;
import io.tessera.core.validation.Check;
import io.tessera.core.validation.ValidationException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A job as an operator defines it. Immutable; validated when built.
 *
 * @param id             database id, null before the job is stored
 * @param name           unique, human-readable
 * @param group          the executor group that runs it
 * @param schedule       when it fires
 * @param handler        the handler name on the executor, e.g. {@code command} or a Java handler's name
 * @param params         free text handed to the handler; the command line for {@code command}
 * @param shardCount     shards per run (ignored for {@link RoutingStrategy#SHARDING_BROADCAST})
 * @param accelerators   what each shard needs, or null for none
 * @param gang           all shards must run at once (distributed training): placed whole or not at all
 * @param timeoutSeconds per shard; 0 for no timeout
 * @param maxRetries     re-runs of a failed shard (or, for gangs, the whole gang)
 * @param maxWaitSeconds how long a run may wait for devices before it fails; 0 for no limit
 * @param childJobIds    jobs fired when a run of this one succeeds
 * @param priority       waiting runs are placed highest priority first, then oldest first; may preempt
 *                       preemptible runs of lower priority
 * @param preemptible    a run of higher priority that cannot be placed may stop this job's shards (and put them
 *                       back in the queue, without using a retry)
 * @param queue          the quota queue (a team) whose device quota the job's runs count against; empty for none
 * @param preemptionGraceSeconds how long a preempted shard has between SIGTERM (or {@code isPreempted()}) and a kill
 */
public record JobDefinition(Long id, String name, String group, Schedule schedule, String handler, String params,
                            int shardCount, AcceleratorRequirement accelerators, boolean gang,
                            RoutingStrategy routing, BlockStrategy blockStrategy, MisfirePolicy misfire,
                            int timeoutSeconds, int maxRetries, int maxWaitSeconds, List<Long> childJobIds,
                            boolean enabled, int priority, boolean preemptible, String queue, int preemptionGraceSeconds) {

    public static final int MAX_SHARDS = 10_000;
    public static final int MAX_PARAMS_BYTES = 64 * 1024;
    public static final int MAX_RETRIES = 100;
    public static final String COMMAND_HANDLER = "command";
    public static final int MAX_PRIORITY = 1000;
    public static final int DEFAULT_PREEMPTION_GRACE_SECONDS = 30;
    public static final int MAX_PREEMPTION_GRACE_SECONDS = 3600;

    public JobDefinition {
        Check.name("name", name);
        Check.name("group", group);
        Check.notNull("schedule", schedule);
        Check.name("handler", handler);
        params = params == null ? "" : params;
        if (params.getBytes(StandardCharsets.UTF_8).length > MAX_PARAMS_BYTES) {
            throw new ValidationException("params", "is longer than " + MAX_PARAMS_BYTES + " bytes");
        }
        Check.range("shards", shardCount, 1, MAX_SHARDS);
        Check.notNull("routing", routing);
        Check.notNull("blockStrategy", blockStrategy);
        Check.notNull("misfire", misfire);
        Check.range("timeoutSeconds", timeoutSeconds, 0, 30 * 24 * 3600);
        Check.range("maxRetries", maxRetries, 0, MAX_RETRIES);
        Check.range("maxWaitSeconds", maxWaitSeconds, 0, 30 * 24 * 3600);
        childJobIds = childJobIds == null ? List.of() : List.copyOf(childJobIds);
        Check.range("priority", priority, -MAX_PRIORITY, MAX_PRIORITY);
        queue = queue == null ? "" : queue.trim();
        if (!queue.isEmpty()) {
            Check.name("queue", queue);
        }
        Check.range("preemptionGraceSeconds", preemptionGraceSeconds, 0, MAX_PREEMPTION_GRACE_SECONDS);
        if (id != null && childJobIds.contains(id)) {
            throw new ValidationException("childJobIds", "a job cannot be its own child");
        }
        if (accelerators != null && routing == RoutingStrategy.SHARDING_BROADCAST) {
            throw new ValidationException("routing", "SHARDING_BROADCAST puts one shard on every executor and cannot be"
                    + " combined with an accelerator requirement; give the job a shard count instead");
        }
        if (gang && routing == RoutingStrategy.SHARDING_BROADCAST) {
            throw new ValidationException("gang", "a gang job cannot use SHARDING_BROADCAST routing; give it a shard count");
        }
    }

    /** Whether the job's runs count against a queue's quota. */
    public boolean hasQueue() {
        return !queue.isEmpty();
    }

    public boolean needsAccelerators() {
        return accelerators != null;
    }

    public boolean usesCommandHandler() {
        return COMMAND_HANDLER.equals(handler);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Fills in defaults that work: manual schedule, group {@code default}, one shard, no devices. */
    public static final class Builder {
        private Long id;
        private String name;
        private String group = "default";
        private Schedule schedule = Schedule.none();
        private String handler = COMMAND_HANDLER;
        private String params = "";
        private int shardCount = 1;
        private AcceleratorRequirement accelerators;
        private boolean gang;
        private RoutingStrategy routing = RoutingStrategy.ROUND_ROBIN;
        private BlockStrategy blockStrategy = BlockStrategy.SERIAL;
        private MisfirePolicy misfire = MisfirePolicy.FIRE_ONCE;
        private int timeoutSeconds;
        private int maxRetries;
        private int maxWaitSeconds;
        private List<Long> childJobIds = List.of();
        private boolean enabled = true;
        private int priority;
        private boolean preemptible;
        private String queue = "";
        private int preemptionGraceSeconds = DEFAULT_PREEMPTION_GRACE_SECONDS;

        private Builder(String name) {
            this.name = name;
        }

        private Builder(JobDefinition job) {
            id = job.id;
            name = job.name;
            group = job.group;
            schedule = job.schedule;
            handler = job.handler;
            params = job.params;
            shardCount = job.shardCount;
            accelerators = job.accelerators;
            gang = job.gang;
            routing = job.routing;
            blockStrategy = job.blockStrategy;
            misfire = job.misfire;
            timeoutSeconds = job.timeoutSeconds;
            maxRetries = job.maxRetries;
            maxWaitSeconds = job.maxWaitSeconds;
            childJobIds = job.childJobIds;
            enabled = job.enabled;
            priority = job.priority;
            preemptible = job.preemptible;
            queue = job.queue;
            preemptionGraceSeconds = job.preemptionGraceSeconds;
        }

        public Builder id(Long value) { id = value; return this; }
        public Builder name(String value) { name = value; return this; }
        public Builder group(String value) { group = value; return this; }
        public Builder schedule(Schedule value) { schedule = value; return this; }
        public Builder handler(String value) { handler = value; return this; }
        public Builder params(String value) { params = value; return this; }
        public Builder shardCount(int value) { shardCount = value; return this; }
        public Builder accelerators(AcceleratorRequirement value) { accelerators = value; return this; }
        public Builder gang(boolean value) { gang = value; return this; }
        public Builder routing(RoutingStrategy value) { routing = value; return this; }
        public Builder blockStrategy(BlockStrategy value) { blockStrategy = value; return this; }
        public Builder misfire(MisfirePolicy value) { misfire = value; return this; }
        public Builder timeoutSeconds(int value) { timeoutSeconds = value; return this; }
        public Builder maxRetries(int value) { maxRetries = value; return this; }
        public Builder maxWaitSeconds(int value) { maxWaitSeconds = value; return this; }
        public Builder childJobIds(List<Long> value) { childJobIds = value; return this; }
        public Builder enabled(boolean value) { enabled = value; return this; }
        public Builder priority(int value) { priority = value; return this; }
        public Builder preemptible(boolean value) { preemptible = value; return this; }
        public Builder queue(String value) { queue = value; return this; }
        public Builder preemptionGraceSeconds(int value) { preemptionGraceSeconds = value; return this; }

        public JobDefinition build() {
            return new JobDefinition(id, name, group, schedule, handler, params, shardCount, accelerators, gang,
                    routing, blockStrategy, misfire, timeoutSeconds, maxRetries, maxWaitSeconds, childJobIds, enabled,
                    priority, preemptible, queue, preemptionGraceSeconds);
        }
    }
}
