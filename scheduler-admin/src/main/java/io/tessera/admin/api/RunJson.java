package io.tessera.admin.api;

import io.tessera.core.model.DeviceId;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import io.tessera.core.model.TriggerKind;

import java.time.Instant;
import java.util.List;

/**
 * A run and its shards as the API shows them.
 *
 * @param preemptions every attempt of a shard that was stopped to make room for another run, oldest first
 */
public record RunJson(long id, long jobId, RunStatus status, TriggerKind trigger, Instant scheduledAt, Instant startedAt,
                      Instant finishedAt, int attempt, int shardTotal, String params, String message, List<ShardJson> shards,
                      List<PreemptionJson> preemptions) {

    /** A preempted attempt: which run it made room for, and why. */
    public record PreemptionJson(int shardIndex, int attempt, long byRunId, String byJob, String reason, Instant at) {

        static PreemptionJson of(io.tessera.admin.store.RunChange.Preempted preempted) {
            return new PreemptionJson(preempted.shardIndex(), preempted.attempt(), preempted.byRunId(), preempted.byJobName(),
                    preempted.reason(), preempted.at());
        }
    }

    /** @param devices device ids such as {@code GPU:0} */
    public record ShardJson(int index, RunStatus status, String executorId, int attempt, List<String> devices,
                            Instant startedAt, Instant finishedAt, Integer exitCode, String message) {

        static ShardJson of(ShardRun shard) {
            return new ShardJson(shard.shardIndex(), shard.status(), shard.executorId(), shard.attempt(),
                    shard.devices().stream().map(DeviceId::toString).toList(), shard.startedAt(), shard.finishedAt(),
                    shard.exitCode(), shard.message());
        }
    }

    public static RunJson of(JobRun run, List<ShardRun> shards, List<io.tessera.admin.store.RunChange.Preempted> preemptions) {
        return new RunJson(run.id(), run.jobId(), run.status(), run.trigger(), run.scheduledAt(), run.startedAt(),
                run.finishedAt(), run.attempt(), run.shardTotal(), run.params(), run.message(),
                shards.stream().map(ShardJson::of).toList(), preemptions.stream().map(PreemptionJson::of).toList());
    }
}
